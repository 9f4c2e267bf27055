using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// Scans every channel a user or a log can see for the API key, in the forms it travels in (plain, Basic-encoded,
/// URL-encoded): verbose, debug and warning messages, the connection's ToString and JSON, every invoice's JSON and raw
/// record, and every string property of the errors of a successful run, an exhausted retry, a malformed page and a
/// refused key. The PowerShell channels (Format-*, Export-Clixml, ConvertTo-Json, ErrorRecord) are scanned by
/// tests/Pester/Reliability.Tests.ps1.
/// </summary>
public sealed class SecretRedactionTests
{
    public static TheoryData<InvoiceProviderKind> Providers => new(ProviderKinds.BuiltIn);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_key_appears_in_no_output_channel(InvoiceProviderKind provider)
    {
        await using var host = await LoopbackSandbox.StartAsync(new SandboxOptions { RevereInvoiceCount = 150, Revolv3InvoiceCount = 150, OpteriusInvoiceCount = 150, KitchenInvoiceCount = 150, XenditInvoiceCount = 150 });
        var key = Key(provider);
        var seen = new List<string>();
        var observer = new RecordingObserver();

        using (var connection = Connect(host, provider, key))
        {
            var invoices = await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync();
            Assert.NotEmpty(invoices);
            seen.Add(connection.ToString());
            seen.Add(connection.Authentication);
            seen.Add(JsonSerializer.Serialize(connection));
            seen.AddRange(invoices.Select(i => i.Raw.ToJson()));
            seen.AddRange(invoices.Select(i => JsonSerializer.Serialize(i)));
            seen.AddRange(invoices.Select(i => i.ToString() ?? string.Empty));

            host.Sandbox.InjectFault(SandboxFaultKind.ServiceUnavailable, times: 10, api: LoopbackSandbox.ApiName(provider), afterRequests: 1);
            seen.AddRange(Describe(await Failure(connection, observer)));
            host.Sandbox.ClearFaults();
            host.Sandbox.InjectFault(SandboxFaultKind.HtmlErrorPage, times: 10, api: LoopbackSandbox.ApiName(provider), afterRequests: 1);
            seen.AddRange(Describe(await Failure(connection, observer)));
            host.Sandbox.ClearFaults();
        }

        using (var refused = Connect(host, provider, key + "-revoked"))
        {
            var denied = await Failure(refused, observer);
            Assert.IsType<InvoiceAuthenticationException>(denied);
            seen.AddRange(Describe(denied));
        }

        Assert.NotEmpty(observer.Debug);
        Assert.NotEmpty(observer.Verbose);
        seen.AddRange(observer.All);
        foreach (var form in Forms(key).Concat(Forms(key + "-revoked")))
        {
            Assert.DoesNotContain(seen, text => text.Contains(form, StringComparison.Ordinal));
        }

        Assert.Contains(host.Sandbox.Requests, r => r.Header(HeaderName(provider))?.Contains(provider == InvoiceProviderKind.Xendit ? Forms(key)[1] : key, StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Redacted_urls_keep_the_address_and_drop_secrets()
    {
        var display = Redactor.Url(new Uri("https://user:pw@api.example.com/v2/invoices?limit=10&api_key=sk_live_123&token=abc&after=x"));

        Assert.DoesNotContain("pw", display, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live_123", display, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", display, StringComparison.Ordinal);
        Assert.Contains("api.example.com/v2/invoices", display, StringComparison.Ordinal);
        Assert.Contains("limit=10", display, StringComparison.Ordinal);
    }

    private static async Task<InvoiceToolsException> Failure(InvoiceProviderConnection connection, RecordingObserver observer)
    {
        try
        {
            await InvoiceEngine.GetInvoicesAsync(connection, InvoiceQuery.All, observer).ToListAsync();
        }
        catch (InvoiceToolsException ex)
        {
            return ex;
        }

        throw new InvalidOperationException("The run was expected to fail.");
    }

    private static IEnumerable<string> Describe(Exception error)
    {
        yield return error.ToString();
        foreach (var property in error.GetType().GetProperties())
        {
            var value = property.GetValue(error);
            if (value is string text)
            {
                yield return text;
            }
            else if (value is IEnumerable<string> texts)
            {
                foreach (var item in texts)
                {
                    yield return item;
                }
            }
        }

        yield return ErrorClassification.RecommendedAction(error) ?? string.Empty;
    }

    /// <summary>The key as typed, Basic-encoded as Xendit sends it, and URL-encoded.</summary>
    private static string[] Forms(string key) =>
        new[] { key, Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")), Uri.EscapeDataString(key) };

    private static string Key(InvoiceProviderKind provider) => provider switch
    {
        InvoiceProviderKind.Revere => RevereApi.ApiKey,
        InvoiceProviderKind.Revolv3 => Revolv3Api.Token,
        InvoiceProviderKind.Opterius => OpteriusApi.Token,
        InvoiceProviderKind.Kitchen => KitchenApi.ApiKey,
        _ => XenditApi.SecretKey,
    };

    private static string HeaderName(InvoiceProviderKind provider) => provider switch
    {
        InvoiceProviderKind.Revolv3 => "x-revolv3-token",
        _ => "Authorization",
    };

    private static InvoiceProviderConnection Connect(LoopbackSandbox host, InvoiceProviderKind provider, string key)
    {
        var retry = new RetryOptions { MaxAttempts = 2, AttemptTimeout = System.Threading.Timeout.InfiniteTimeSpan };
        return provider switch
        {
            InvoiceProviderKind.Revere => host.ConnectRevere(apiKey: key, retry: retry),
            InvoiceProviderKind.Revolv3 => host.ConnectRevolv3(token: key, retry: retry),
            InvoiceProviderKind.Opterius => host.ConnectOpterius(token: key),
            InvoiceProviderKind.Kitchen => host.ConnectKitchen(apiKey: key),
            _ => host.ConnectXendit(apiKey: key),
        };
    }
}
