using System.Net;

namespace InvoiceTools.Http;

/// <summary>
/// Windows PowerShell 5.1 runs on .NET Framework, where HttpClient follows ServicePointManager.SecurityProtocol; on
/// machines without the SchUseStrongCrypto registry setting that is SSL 3 and TLS 1.0, which the providers refuse.
/// </summary>
internal static class TlsPolicy
{
    /// <summary>
    /// The protocols to use given the current setting: unchanged when the operating system chooses (SystemDefault,
    /// which offers TLS 1.2 and 1.3 where Windows has them) or TLS 1.2 is already on; otherwise TLS 1.2 added.
    /// </summary>
    public static SecurityProtocolType Required(SecurityProtocolType current) =>
        current == 0 || (current & SecurityProtocolType.Tls12) != 0 ? current : current | SecurityProtocolType.Tls12;

    /// <summary>Applies <see cref="Required"/> on .NET Framework; .NET leaves the choice to the operating system.</summary>
    public static void EnsureOnNetFramework()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", System.StringComparison.Ordinal))
        {
            return;
        }

        var current = ServicePointManager.SecurityProtocol;
        var required = Required(current);
        if (required != current)
        {
            ServicePointManager.SecurityProtocol = required;
        }
    }
}
