using System.Management.Automation;
using System.Security;
using InvoiceTools.Commands.Infrastructure;
using InvoiceTools.Connections;

namespace InvoiceTools.Commands;

/// <summary>
/// <para type="synopsis">Opens a connection to an invoice provider and makes it this session's default.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "InvoiceProvider", DefaultParameterSetName = ApiKeySet)]
[OutputType(typeof(InvoiceProviderConnection))]
public sealed class ConnectInvoiceProviderCommand : InvoiceToolsCmdlet
{
    // Boxed: a Core enum field would make loading this type need InvoiceTools.Core before the module's resolver runs.
    private object? _provider;
    private object? _gateway;
    private object? _cursorParameter;
    private object? _amountUnit;
    private object? _environment;
    private object? _authScheme;
    private object? _endpoint;

    private const string ApiKeySet = "ApiKey";
    private const string CredentialSet = "Credential";
    private const string SandboxSet = "Sandbox";

    /// <summary>The provider to connect to.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public InvoiceProviderKind Provider
    {
        get => _provider is InvoiceProviderKind value ? value : default;
        set => _provider = value;
    }

    /// <summary>The API key, as a SecureString.</summary>
    [Parameter(ParameterSetName = ApiKeySet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = SandboxSet)]
    public SecureString? ApiKey { get; set; }

    /// <summary>A credential whose password is the API key (the user name is ignored).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Use the built-in emulator: no account, no key, no network.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SandboxSet)]
    public SwitchParameter Sandbox { get; set; }

    /// <summary>The API root, when it is not the provider's production host.</summary>
    [Parameter(ParameterSetName = ApiKeySet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? BaseUri { get; set; }

    /// <summary>The connection's name; defaults to the provider's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Revere Payments: the group (account) id.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? GroupId { get; set; }

    /// <summary>Revolv3: Production (api.revolv3.com) or Revolv3's own Sandbox host (api-sandbox.revolv3.com, separate credentials).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Revolv3Environment Environment
    {
        get => _environment is Revolv3Environment value ? value : default;
        set => _environment = value;
    }

    /// <summary>Revolv3: Token (x-revolv3-token, default) or Bearer.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Revolv3AuthScheme AuthScheme
    {
        get => _authScheme is Revolv3AuthScheme value ? value : default;
        set => _authScheme = value;
    }

    /// <summary>Revolv3: Auto (default; /api/Invoices unless a v1-only filter needs /api/Invoices/v1), Legacy or V1.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Revolv3Endpoint Endpoint
    {
        get => _endpoint is Revolv3Endpoint value ? value : default;
        set => _endpoint = value;
    }

    /// <summary>Opterius: read amounts as minor or major units; Auto (default) decides from the response's field names.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public OpteriusAmountUnit AmountUnit
    {
        get => _amountUnit is OpteriusAmountUnit value ? value : default;
        set => _amountUnit = value;
    }

    /// <summary>Kitchen: your workspace, the subdomain of kitchen.co (acme for https://acme.kitchen.co).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Workspace { get; set; }

    /// <summary>Xendit: reach the API directly (default) or through the Appgregator proxy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public XenditGateway Gateway
    {
        get => _gateway is XenditGateway value ? value : default;
        set => _gateway = value;
    }

    /// <summary>Xendit direct: the sub-account to act for (sent as the for-user-id header).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ForUserId { get; set; }

    /// <summary>Xendit through Appgregator: the proxy project's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? AppgregatorProject { get; set; }

    /// <summary>Xendit through Appgregator: the proxy connection's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? AppgregatorConnection { get; set; }

    /// <summary>Xendit: send the paging cursor as both last_invoice_id and last_invoice (default), or only one of them.</summary>
    [Parameter]
    public XenditCursorParameter CursorParameter
    {
        get => _cursorParameter is XenditCursorParameter value ? value : default;
        set => _cursorParameter = value;
    }

    /// <summary>The currency to assume where the provider does not say (Revere: USD).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^[A-Za-z]{3}$")]
    public string? Currency { get; set; }

    /// <summary>Return the connection object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var options = new ConnectionOptions
        {
            Provider = Provider,
            Name = Name,
            ApiKey = ApiKey ?? Credential?.Password,
            BaseUri = BaseUri,
            Sandbox = Sandbox.IsPresent,
            GroupId = GroupId,
            Currency = Currency,
            Workspace = Workspace,
            AmountUnit = AmountUnit,
            Environment = Environment,
            AuthScheme = AuthScheme,
            Endpoint = Endpoint,
            Gateway = Gateway,
            ForUserId = ForUserId,
            AppgregatorProject = AppgregatorProject,
            AppgregatorConnection = AppgregatorConnection,
            CursorParameter = CursorParameter,
        };

        InvoiceProviderConnection connection;
        try
        {
            connection = InvoiceConnectionFactory.Connect(options);
        }
        catch (InvoiceConfigurationException ex)
        {
            WriteFailure(ex, Provider);
            return;
        }

        SessionConnections.Current.Add(connection);
        WriteVerbose("Connected to " + connection + " at " + connection.BaseUri + "; it is now the default connection for Get-Invoice. No request was sent: the key is checked by the first call.");
        if (PassThru)
        {
            WriteObject(connection);
        }
    }
}
