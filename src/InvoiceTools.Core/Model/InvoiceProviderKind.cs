namespace InvoiceTools;

/// <summary>The invoice providers the module can connect to.</summary>
public enum InvoiceProviderKind : long
{
    /// <summary>Revere Payments (api.reverepayments.dev).</summary>
    Revere,

    /// <summary>Revolv3 (api.revolv3.com, or its sandbox host api-sandbox.revolv3.com).</summary>
    Revolv3,

    /// <summary>Opterius Commerce, a self-hosted billing panel (every installation has its own address).</summary>
    Opterius,

    /// <summary>Kitchen (https://{workspace}.kitchen.co).</summary>
    Kitchen,

    /// <summary>Xendit (api.xendit.co), directly or through the Appgregator proxy.</summary>
    Xendit,

    /// <summary>
    /// A provider defined in a file and registered with Register-InvoiceProvider; its name is the definition's Name
    /// (the descriptor's Name, <see cref="Invoice.Provider"/>).
    /// </summary>
    Defined,
}
