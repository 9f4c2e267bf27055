using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using InvoiceTools.Requests;

namespace InvoiceTools.Connections;

/// <summary>
/// Where a connection's API key can come from when it is not passed: an environment variable per provider, or a
/// SecretManagement secret that the cmdlet reads. Nothing is ever written to disk.
/// </summary>
public static class ApiKeySources
{
    /// <summary>The environment variable that holds <paramref name="provider"/>'s API key, for example INVOICETOOLS_KITCHEN_API_KEY.</summary>
    public static string EnvironmentVariableFor(InvoiceProviderKind provider) => EnvironmentVariableFor(provider.ToString());

    /// <summary>
    /// The environment variable that holds the API key of the provider named <paramref name="providerName"/>: its name
    /// in capitals, with '-' as '_' (a defined provider Acme-EU reads INVOICETOOLS_ACME_EU_API_KEY).
    /// </summary>
    public static string EnvironmentVariableFor(string providerName) => Providers.ProviderCatalog.KeyVariable(providerName);

    /// <summary>Every built-in provider's variable, in provider order.</summary>
    public static IReadOnlyList<string> EnvironmentVariables { get; } =
        Enum.GetValues(typeof(InvoiceProviderKind)).Cast<InvoiceProviderKind>().Where(k => k != InvoiceProviderKind.Defined).Select(EnvironmentVariableFor).ToList();

    /// <summary>The key from the environment variable of the provider named <paramref name="providerName"/>, or null when it is unset or blank.</summary>
    public static ApiSecret? FromEnvironment(string providerName, Func<string, string?> environment)
    {
        var value = (environment ?? throw new ArgumentNullException(nameof(environment)))(EnvironmentVariableFor(providerName));
        return string.IsNullOrWhiteSpace(value) ? null : ApiSecret.FromPlainText(value!.Trim());
    }

    /// <summary>
    /// Checks -SecretName and -Vault against the other settings before anything is read.
    /// </summary>
    /// <exception cref="InvoiceConfigurationException">A combination that cannot mean what the user wants.</exception>
    public static void CheckSecretRequest(ConnectionOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Vault is not null && options.SecretName is null)
        {
            throw new InvoiceConfigurationException("-Vault names where to look, but no -SecretName says what to read.", "Add -SecretName with the secret that holds the API key.") { ParameterName = "Vault", Provider = options.Provider };
        }

        if (options.SecretName is null)
        {
            return;
        }

        if (options.Sandbox)
        {
            throw new InvoiceConfigurationException("-SecretName reads a real API key, and -Sandbox needs none.", "Leave out -SecretName for the sandbox, or -Sandbox for a real account.") { ParameterName = "SecretName", Provider = options.Provider };
        }

        if (options.ApiKey is not null)
        {
            throw new InvoiceConfigurationException("Both an API key (ApiKey or Credential) and -SecretName were given.", "Give one of them.") { ParameterName = "SecretName", Provider = options.Provider };
        }
    }

    /// <summary>The error for a Get-Secret failure (its message names the secret, never a value).</summary>
    public static InvoiceConfigurationException SecretNotRead(string secretName, string? vault, InvoiceProviderKind provider, string reason, string? providerName = null) =>
        new($"Get-Secret could not read {DescribeSecret(secretName, vault)}: {reason}",
            $"Check the name with Get-SecretInfo -Name {secretName}. A vault that asks for a password cannot answer in a runbook or job: unlock it first (Unlock-SecretStore), or use -Credential or the {EnvironmentVariableFor(providerName ?? provider.ToString())} environment variable.")
        { ParameterName = "SecretName", Provider = provider };

    /// <summary>The error for -SecretName without the SecretManagement module.</summary>
    public static InvoiceConfigurationException SecretManagementMissing(string secretName, InvoiceProviderKind provider, string? providerName = null) =>
        new("-SecretName needs the Microsoft.PowerShell.SecretManagement module, which is not installed.",
            $"Install-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore; Register-SecretVault; Set-Secret -Name {secretName}. Or pass -ApiKey or -Credential, or set the {EnvironmentVariableFor(providerName ?? provider.ToString())} environment variable.")
        { ParameterName = "SecretName", Provider = provider };

    /// <summary>What the key source is called in verbose output and on the connection, never the key itself.</summary>
    public static string DescribeSecret(string secretName, string? vault) =>
        vault is null ? $"SecretManagement secret '{secretName}'" : $"SecretManagement secret '{secretName}' in vault '{vault}'";

    /// <summary>
    /// The key from what Get-Secret returned (a PSCredential's password is passed in as its SecureString).
    /// </summary>
    /// <exception cref="InvoiceConfigurationException">Nothing usable: the message names the type found, never a value.</exception>
    public static SecureString FromSecretValue(object? value, string secretName, string? vault)
    {
        var where = DescribeSecret(secretName, vault);
        switch (value)
        {
            case SecureString secure when secure.Length > 0:
                return secure;
            case string text when !string.IsNullOrWhiteSpace(text):
                return ApiSecret.ToSecureString(text.Trim());
            case null:
                throw new InvoiceConfigurationException($"{where} returned nothing.", "Check the name with Get-SecretInfo.") { ParameterName = "SecretName" };
            case SecureString or string:
                throw new InvoiceConfigurationException($"{where} is empty.", "Store the API key in it with Set-Secret.") { ParameterName = "SecretName" };
            default:
                throw new InvoiceConfigurationException(
                    $"{where} holds a {value.GetType().Name}, not an API key.",
                    $"Store the key as a string, SecureString or PSCredential (the password is the key): Set-Secret -Name {secretName} -Secret $key.")
                { ParameterName = "SecretName" };
        }
    }
}
