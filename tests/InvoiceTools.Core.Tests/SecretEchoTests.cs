using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// A server that quotes the credentials back in a 401 (<see cref="SandboxFaultKind.EchoCredentials"/>: the message,
/// the field details, WWW-Authenticate and the request id) must not put the key into the exception or the streams,
/// in any form it was sent in: plain, Bearer, Basic (Base64 of "key:"), a custom header, URL-encoded.
/// </summary>
public sealed class SecretEchoTests
{
    public static TheoryData<InvoiceProviderKind, XenditGateway, Revolv3AuthScheme, string> Cases => new()
    {
        { InvoiceProviderKind.Revere, XenditGateway.Direct, Revolv3AuthScheme.Token, "rv_live+Key/9=Zq~" },
        { InvoiceProviderKind.Revolv3, XenditGateway.Direct, Revolv3AuthScheme.Token, "r3+tok/EN=77" },
        { InvoiceProviderKind.Revolv3, XenditGateway.Direct, Revolv3AuthScheme.Bearer, "r3.bearer+X/Y=" },
        { InvoiceProviderKind.Opterius, XenditGateway.Direct, Revolv3AuthScheme.Token, "op|tok+en/==" },
        { InvoiceProviderKind.Kitchen, XenditGateway.Direct, Revolv3AuthScheme.Token, "kt_live+abc/def=" },
        { InvoiceProviderKind.Xendit, XenditGateway.Direct, Revolv3AuthScheme.Token, "xnd_development_ab+cd/ef=gh" },
        { InvoiceProviderKind.Xendit, XenditGateway.Appgregator, Revolv3AuthScheme.Token, "agg key+1/2=3" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_401_that_quotes_the_credentials_back_leaves_no_form_of_the_key_in_the_error_or_the_streams(InvoiceProviderKind provider, XenditGateway gateway, Revolv3AuthScheme scheme, string key)
    {
        await using var host = await LoopbackSandbox.StartAsync();
        using var connection = provider switch
        {
            InvoiceProviderKind.Revere => host.ConnectRevere(apiKey: key),
            InvoiceProviderKind.Revolv3 => host.ConnectRevolv3(scheme: scheme, token: key),
            InvoiceProviderKind.Opterius => host.ConnectOpterius(token: key),
            InvoiceProviderKind.Kitchen => host.ConnectKitchen(apiKey: key),
            _ => host.ConnectXendit(gateway: gateway, apiKey: key),
        };
        host.Sandbox.InjectFault(SandboxFaultKind.EchoCredentials, api: gateway == XenditGateway.Appgregator ? XenditApi.ProxyApiName : LoopbackSandbox.ApiName(provider));
        var observer = new RecordingObserver();

        var error = await Assert.ThrowsAsync<InvoiceAuthenticationException>(async () => await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync());

        // The server did receive the key in one of these forms, so its echo held it.
        var forms = connection.Mask.Forms();
        var request = Assert.Single(host.Sandbox.Requests);
        var sent = SandboxFaultMatrix.CredentialHeaders.Select(request.Header).OfType<string>().ToList();
        Assert.Contains(sent, value => forms.Any(f => value.Contains(f, StringComparison.Ordinal)));
        Assert.Contains(Uri.EscapeDataString(key), forms);

        Assert.Equal("INVALID_API_KEY", error.ProviderErrorCode);
        Assert.StartsWith("Invalid credentials (", error.ProviderMessage, StringComparison.Ordinal);
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
        Assert.Equal(sent.Count, error.Details.Count);
        Assert.All(error.Details, d => Assert.Contains("***", d, StringComparison.Ordinal));
        Assert.Matches("^req-(Basic |Bearer )?\\*\\*\\*$", error.RequestId);
        var texts = new List<string?> { error.ToString(), error.Message, error.ProviderMessage, error.RequestId, error.LastResponse, error.RecommendedAction };
        texts.AddRange(error.Details);
        texts.AddRange(observer.All);
        Assert.Contains(observer.Debug, d => d.Contains("X-Request-Id: req-", StringComparison.OrdinalIgnoreCase));
        foreach (var text in texts.OfType<string>())
        {
            foreach (var form in forms)
            {
                Assert.DoesNotContain(form, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Every_encoding_of_the_key_is_masked_and_other_text_is_kept()
    {
        using var secret = ApiSecret.FromPlainText("xnd_development_a+b/c=");
        var mask = new Http.SecretMask(secret.Reveal);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("xnd_development_a+b/c=:"));

        Assert.Equal("Authorization: Basic ***", mask.Apply($"Authorization: Basic {basic}"));
        Assert.Equal("token=*** and ***", mask.Apply($"token={Uri.EscapeDataString("xnd_development_a+b/c=")} and xnd_development_a+b/c="));
        Assert.Equal("q=***", mask.Apply("q=" + System.Net.WebUtility.UrlEncode("xnd_development_a+b/c=")));
        Assert.Equal("lower hex: ***", mask.Apply("lower hex: " + Uri.EscapeDataString("xnd_development_a+b/c=").ToLowerInvariant()));
        Assert.Equal("nothing secret here", mask.Apply("nothing secret here"));
        Assert.Null(mask.Apply((string?)null));
    }
}
