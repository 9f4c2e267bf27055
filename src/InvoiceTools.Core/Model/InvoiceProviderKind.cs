namespace InvoiceTools;

/// <summary>The invoice providers the module can connect to.</summary>
public enum InvoiceProviderKind
{
    /// <summary>Revere Payments (api.reverepayments.dev).</summary>
    Revere,
}
