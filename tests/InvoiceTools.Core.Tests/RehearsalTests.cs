using System;
using System.Collections.Generic;
using System.Linq;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Connect-InvoiceProvider -Sandbox -SandboxFault / -SandboxLatencyMs, and -TimeoutSeconds.</summary>
public sealed class RehearsalTests
{
    private static InvoiceProviderConnection Rehearse(InvoiceSandbox sandbox, RecordingTimeProvider clock, params SandboxFaultKind[] faults) =>
        InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            Sandbox = true,
            SandboxInstance = sandbox.AsServer(),
            SandboxFault = faults.Select(f => f.ToString()).ToList(),
            TimeProvider = clock,
            Paging = LoopbackSandbox.Pinned(PagingOptions.Sequential),
        });

    [Fact]
    public void Faults_answer_the_second_request_on_in_order_and_the_run_recovers()
    {
        var sandbox = new InvoiceSandbox(new SandboxOptions { RevereInvoiceCount = 250 });
        var clock = new RecordingTimeProvider();
        using var connection = Rehearse(sandbox, clock, SandboxFaultKind.ServiceUnavailable, SandboxFaultKind.HtmlErrorPage);
        var observer = new RecordingObserver();

        var ids = InvoiceEngine.GetInvoices(connection, InvoiceQuery.All, observer).Select(i => i.Id).ToList();

        Assert.Equal(sandbox.Revere.Ids, ids);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=100", "limit=100&offset=100", "limit=100&offset=200" }, sandbox.Requests.Select(r => r.QueryString));
        Assert.Equal(2, clock.Delays.Count);
        var retries = observer.Verbose.Where(m => m.StartsWith("Retry ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Contains("after 503 Service Unavailable", retries[0], StringComparison.Ordinal);
        Assert.Contains("'text/html'", retries[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_example_runs_out_of_retries_on_page_2()
    {
        // docs/reliability.md: -SandboxFault ((,'ServiceUnavailable') * 5) -PageConcurrency 1 -Prefetch 0
        var sandbox = new InvoiceSandbox();
        var clock = new RecordingTimeProvider();
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            Sandbox = true,
            SandboxInstance = sandbox.AsServer(),
            SandboxFault = Enumerable.Repeat(nameof(SandboxFaultKind.ServiceUnavailable), 5).ToList(),
            Paging = LoopbackSandbox.Pinned(new PagingOptions { PageConcurrency = 1, Prefetch = 0 }),
            TimeProvider = clock,
        });
        var seen = new List<string>();

        var error = Assert.Throws<InvoiceApiException>(() =>
        {
            foreach (var invoice in InvoiceEngine.GetInvoices(connection, InvoiceQuery.All))
            {
                seen.Add(invoice.Id);
            }
        });

        Assert.Equal(sandbox.Revere.Ids.Take(100), seen);
        Assert.Equal(5, error.Attempts);
        Assert.Equal(4, clock.Delays.Count);
    }

    [Fact]
    public void Latency_is_set_on_the_connections_sandbox()
    {
        var sandbox = new InvoiceSandbox();

        using var connection = InvoiceConnectionFactory.Connect(ConnectionSettings.Read(
            new Dictionary<string, object?> { ["Provider"] = "Kitchen", ["Sandbox"] = true, ["SandboxLatencyMs"] = "250" }, out _));
        using var explicitSandbox = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Kitchen, Sandbox = true, SandboxInstance = sandbox.AsServer(), SandboxLatencyMs = 40 });

        Assert.Equal(TimeSpan.FromMilliseconds(250), connection.Emulator().Options.Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(40), sandbox.Options.Latency);
    }

    [Theory]
    [InlineData("ServiceUnavailable; resetmidbody")]
    [InlineData("ServiceUnavailable; resetmidbody; ")]
    [InlineData("ServiceUnavailable;;ResetMidBody")]
    [InlineData(" ServiceUnavailable , ResetMidBody ,")]
    public void Faults_from_a_csv_cell_are_read_by_name(string cell)
    {
        var options = ConnectionSettings.Read(new Dictionary<string, object?> { ["Provider"] = "Revere", ["Sandbox"] = "true", ["SandboxFault"] = cell }, out _);

        Assert.Equal(new[] { nameof(SandboxFaultKind.ServiceUnavailable), nameof(SandboxFaultKind.ResetMidBody) }, options.SandboxFault);
    }

    [Fact]
    public void An_unknown_fault_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => ConnectionSettings.Read(new Dictionary<string, object?> { ["Provider"] = "Revere", ["SandboxFault"] = "Meltdown" }, out _));

        Assert.Equal("SandboxFault", ex.ParameterName);
        Assert.Contains("'Meltdown'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RateLimitedRetryAfterSeconds, RateLimitedRetryAfterDate", ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Faults_need_the_sandbox()
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            BaseUri = "https://api.revere.example/",
            GroupId = RevereApi.GroupId.ToString(),
            ApiKey = LoopbackSandbox.Secure("k"),
            SandboxFault = new[] { nameof(SandboxFaultKind.ServiceUnavailable) },
        }));

        Assert.Equal("SandboxFault", ex.ParameterName);
        Assert.Contains("need -Sandbox", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fault_the_provider_cannot_have_is_refused_with_the_ones_it_can()
    {
        var sandbox = new InvoiceSandbox();

        var ex = Assert.Throws<InvoiceConfigurationException>(() => Rehearse(sandbox, new RecordingTimeProvider(), SandboxFaultKind.ForeignNextLink));

        Assert.Equal("SandboxFault", ex.ParameterName);
        Assert.Contains("next links (Kitchen)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("For Revere Payments use one of: RateLimitedRetryAfterSeconds", ex.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("TotalChanged", ex.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("ForeignNextLink", ex.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(sandbox.Requests);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60001)]
    public void Latency_out_of_range_is_refused(int latency)
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true, SandboxLatencyMs = latency }));

        Assert.Equal("SandboxLatencyMs", ex.ParameterName);
        Assert.Equal("Use 0 to 60000.", ex.RecommendedAction);
    }

    [Fact]
    public void Timeout_comes_from_the_connection_then_the_session_variable_then_the_default()
    {
        Func<string, string?> env = name => name == RetryOptions.TimeoutVariable ? "45" : null;

        Assert.Equal(TimeSpan.FromSeconds(100), RetryOptions.Default.With(null, null, _ => null).AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), RetryOptions.Default.With(null, null, env).AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), RetryOptions.Default.With(null, null, env, timeoutSeconds: 7).AttemptTimeout);
        using var connection = InvoiceConnectionFactory.Connect(ConnectionSettings.Read(new Dictionary<string, object?> { ["Provider"] = "Xendit", ["Sandbox"] = true, ["TimeoutSeconds"] = 12 }, out _));
        Assert.Equal(12, connection.TimeoutSeconds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void Timeout_out_of_range_names_the_parameter_and_range(int seconds)
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => RetryOptions.Default.With(null, null, _ => null, seconds));

        Assert.Equal("TimeoutSeconds", ex.ParameterName);
        Assert.Equal("Use 1 to 3600.", ex.RecommendedAction);
    }
}
