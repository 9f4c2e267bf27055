namespace InvoiceTools.Commands.Infrastructure;

/// <summary>Where Get-Help -Online goes: each cmdlet's page in the repository's docs/help folder.</summary>
internal static class HelpLinks
{
    /// <summary>The folder of the help pages; a cmdlet's page is its name plus ".md".</summary>
    public const string Base = "https://github.com/invoicetools/InvoiceTools/blob/main/docs/help/";
}
