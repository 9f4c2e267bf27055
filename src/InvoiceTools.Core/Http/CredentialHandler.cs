using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Providers;

namespace InvoiceTools.Http;

/// <summary>
/// Writes the credentials onto each attempt, and only when the request goes to the connection's own origin
/// (scheme, host and port). A request to anywhere else is refused before it leaves, so a key can never follow
/// a redirect or a next link to a foreign host.
/// </summary>
internal sealed class CredentialHandler : DelegatingHandler
{
    private readonly Uri _origin;
    private readonly InvoiceProvider _provider;
    private readonly ApiSecret _secret;
    private readonly ProviderConfiguration _configuration;

    public CredentialHandler(Uri origin, InvoiceProvider provider, ApiSecret secret, ProviderConfiguration configuration, HttpMessageHandler inner)
        : base(inner)
    {
        _origin = origin;
        _provider = provider;
        _secret = secret;
        _configuration = configuration;
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
                Provider = _provider.Descriptor.Kind,
                RequestUri = Redactor.Url(request.RequestUri),
                RecommendedAction = "Check the connection's -BaseUri. If the provider really moved hosts, reconnect with the new -BaseUri.",
            };
        }

        _provider.ApplyCredentials(request, _secret.Reveal(), _configuration);
        return base.SendAsync(request, cancellationToken);
    }
}
