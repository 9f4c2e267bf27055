using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Http;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>Retry limits per connection, with the session's environment variables as defaults.</summary>
public sealed class RetryLimitTests
{
    [Fact]
    public void Without_settings_or_variables_the_defaults_stay()
    {
        var retry = RetryOptions.Default.With(null, null, TestEnvironment.Of());

        Assert.Equal(5, retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMinutes(2), retry.MaxTotalWait);
    }

    [Fact]
    public void Environment_variables_set_the_session_default_and_the_connection_setting_wins()
    {
        var env = TestEnvironment.Of((RetryOptions.MaxAttemptsVariable, " 8 "), (RetryOptions.MaxRetryWaitVariable, "30"));

        var fromSession = RetryOptions.Default.With(null, null, env);
        var fromConnection = RetryOptions.Default.With(2, 600, env);

        Assert.Equal((8, TimeSpan.FromSeconds(30)), (fromSession.MaxAttempts, fromSession.MaxTotalWait));
        Assert.Equal((2, TimeSpan.FromSeconds(600)), (fromConnection.MaxAttempts, fromConnection.MaxTotalWait));
    }

    [Theory]
    [InlineData(RetryOptions.MaxAttemptsVariable, "many", "1 to 10")]
    [InlineData(RetryOptions.MaxAttemptsVariable, "0", "1 to 10")]
    [InlineData(RetryOptions.MaxRetryWaitVariable, "-5", "0 to 3600")]
    [InlineData(RetryOptions.MaxRetryWaitVariable, "2.5", "0 to 3600")]
    public void A_bad_environment_variable_is_named_with_the_accepted_range(string variable, string value, string range)
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => RetryOptions.Default.With(null, null, TestEnvironment.Of((variable, value))));

        Assert.Contains(variable, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'" + value + "'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(range, ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, null, "MaxAttempts")]
    [InlineData(11, null, "MaxAttempts")]
    [InlineData(null, 3601, "MaxRetryWaitSeconds")]
    public void A_connection_setting_out_of_range_fails_before_any_request(int? attempts, int? wait, string parameter)
    {
        var sandbox = new InvoiceSandbox();

        var ex = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            Sandbox = true,
            SandboxInstance = sandbox.AsServer(),
            MaxAttempts = attempts,
            MaxRetryWaitSeconds = wait,
        }));

        Assert.Equal(parameter, ex.ParameterName);
        Assert.Empty(sandbox.Requests);
    }

    [Fact]
    public void The_connection_shows_its_limits_and_keeps_to_them()
    {
        var sandbox = new InvoiceSandbox();
        using var connection = InvoiceConnectionFactory.Connect(ConnectionSettings.Read(
            new Dictionary<string, object?> { ["Provider"] = "Revere", ["Sandbox"] = "true", ["MaxAttempts"] = "2", ["MaxRetryWaitSeconds"] = 45 }, out _));
        var clock = new RecordingTimeProvider();
        using var timed = InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Revere,
            Sandbox = true,
            SandboxInstance = sandbox.AsServer(),
            MaxAttempts = 2,
            TimeProvider = clock,
            Paging = PagingOptions.Sequential,
        });
        sandbox.InjectFault(SandboxFault.Status(503), times: 10);

        var error = Assert.Throws<InvoiceApiException>(() => InvoiceEngine.GetInvoices(timed, InvoiceQuery.All).ToList());

        Assert.Equal((2, 45), (connection.MaxAttempts, connection.MaxRetryWaitSeconds));
        Assert.Equal(2, error.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(2, sandbox.Requests.Count);
        Assert.Single(clock.Delays);
    }
}
