using System;
using System.Management.Automation;
using System.Security;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Refuses a plain-text -ApiKey with a message that says how to pass one, instead of the binder's conversion error:
/// a key typed on the command line stays in the history and in transcripts.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecureStringOnlyAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string)
        {
            throw new ArgumentTransformationMetadataException(
                "-ApiKey takes a SecureString, not plain text: a key typed on the command line stays in the history and in transcripts. " +
                "Use -ApiKey (Read-Host -AsSecureString), -Credential (Get-Credential, or Get-AutomationPSCredential in a runbook), -SecretName, " +
                "or the INVOICETOOLS_<PROVIDER>_API_KEY environment variable; a settings hashtable or CSV row may hold the key as text.");
        }

        return value is SecureString ? value : inputData;
    }
}
