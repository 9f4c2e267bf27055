using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace InvoiceTools.Http;

/// <summary>
/// Writes the credentials onto each attempt, and only when the request goes to the connection's own origin
/// (scheme, host and port). A request to anywhere else is refused before it leaves, so a key can never follow
/// a redirect or a next link to a foreign host. How the key is written is the provider's, passed in as
/// <c>writeCredentials</c> so that HTTP stays below the providers and connections.
/// </summary>
internal sealed class CredentialHandler : DelegatingHandler
{
    private readonly Uri _origin;
    private readonly InvoiceProviderKind _provider;
    private readonly Action<HttpRequestMessage> _writeCredentials;

    /// <param name="origin">The connection's base URI; only its scheme, host and port count.</param>
    /// <param name="provider">Named in the refusal.</param>
    /// <param name="writeCredentials">Writes the key onto a request to the origin (the provider's header or query).</param>
    /// <param name="inner">The next handler.</param>
    public CredentialHandler(Uri origin, InvoiceProviderKind provider, Action<HttpRequestMessage> writeCredentials, HttpMessageHandler inner)
        : base(inner)
    {
        _origin = origin;
        _provider = provider;
        _writeCredentials = writeCredentials;
    }

    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is null || !SameOrigin(request.RequestUri, _origin))
        {
            throw new InvoicePagingException(
                $"Refused to send credentials to {Redactor.Url(request.RequestUri)}: it is not the connection's host ({_origin.GetLeftPart(UriPartial.Authority)}).")
            {
                Provider = _provider,
                RequestUri = Redactor.Url(request.RequestUri),
                RecommendedAction = "Check the connection's -BaseUri. If the provider really moved hosts, reconnect with the new -BaseUri.",
            };
        }

        _writeCredentials(request);
        return base.SendAsync(request, cancellationToken);
    }
}
