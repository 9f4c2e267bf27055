namespace InvoiceTools;

/// <summary>The invoice providers the module can connect to.</summary>
public enum InvoiceProviderKind
{
    /// <summary>Revere Payments (api.reverepayments.dev).</summary>
    Revere,

    /// <summary>Kitchen (https://{workspace}.kitchen.co).</summary>
    Kitchen,

    /// <summary>Xendit (api.xendit.co), directly or through the Appgregator proxy.</summary>
    Xendit,
}
