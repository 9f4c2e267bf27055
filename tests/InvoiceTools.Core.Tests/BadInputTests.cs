using System;
using System.Linq;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Tests;

/// <summary>
/// Every kind of bad input the reliability issue lists, for every provider it applies to: a configuration error that
/// names the parameter and the accepted values, raised before any request reaches the (sandbox) server.
/// </summary>
public sealed class BadInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<InvoiceProviderKind> Providers => new(ProviderKinds.BuiltIn);

    private static InvoiceConfigurationException RefusedBeforeAnyRequest(InvoiceProviderKind provider, InvoiceQuery query)
    {
        var sandbox = new InvoiceSandbox();
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, Sandbox = true, SandboxInstance = sandbox.AsServer() });
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceEngine.GetInvoices(connection, query).ToList());
        Assert.Empty(sandbox.Requests);
        Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        return error;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Dates_in_the_wrong_order_name_both_dates(InvoiceProviderKind provider)
    {
        var error = RefusedBeforeAnyRequest(provider, new InvoiceQuery { CreatedAfter = Now, CreatedBefore = Now.AddDays(-1) });

        Assert.Equal("CreatedAfter", error.ParameterName);
        Assert.Equal("-CreatedAfter (2026-11-21T12:00:00Z) must be earlier than -CreatedBefore (2026-11-20T12:00:00Z).", error.Message);
        Assert.Equal("Swap the two dates, or drop one of them.", error.RecommendedAction);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, 0, 1000)]
    [InlineData(InvoiceProviderKind.Revere, 1001, 1000)]
    [InlineData(InvoiceProviderKind.Revolv3, 101, 100)]
    [InlineData(InvoiceProviderKind.Opterius, 0, 100)]
    [InlineData(InvoiceProviderKind.Kitchen, 101, 100)]
    [InlineData(InvoiceProviderKind.Xendit, -5, 100)]
    public void Page_size_outside_the_providers_range_gives_the_range(InvoiceProviderKind provider, int pageSize, int max)
    {
        var error = RefusedBeforeAnyRequest(provider, new InvoiceQuery { PageSize = pageSize });

        Assert.Equal("PageSize", error.ParameterName);
        Assert.Contains("accepts a page size from 1 to " + max + "; " + pageSize + " was given", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Use -PageSize between 1 and " + max + ",", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, "*harbor*")]
    [InlineData(InvoiceProviderKind.Revere, "Blue*")]
    [InlineData(InvoiceProviderKind.Revere, "*Logistics")]
    [InlineData(InvoiceProviderKind.Revere, "harbor")]
    [InlineData(InvoiceProviderKind.Kitchen, "u_000000?a*")]
    [InlineData(InvoiceProviderKind.Xendit, "*a?a*")]
    [InlineData(InvoiceProviderKind.Xendit, "maya*")]
    [InlineData(InvoiceProviderKind.Revolv3, "*n")]
    [InlineData(InvoiceProviderKind.Revolv3, "o")]
    public void Customer_wildcards_match_as_PowerShell_does_and_plain_text_as_a_substring(InvoiceProviderKind provider, string customer)
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, Sandbox = true });
        var all = InvoiceEngine.GetInvoices(connection, new InvoiceQuery()).ToList();
        var wildcard = customer.Contains('*', StringComparison.Ordinal) || customer.Contains('?', StringComparison.Ordinal);
        var regex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(customer).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        bool Like(string? value) => value is not null && (wildcard ? regex.IsMatch(value) : value.Contains(customer, StringComparison.OrdinalIgnoreCase));
        var expected = all.Where(i => Like(i.CustomerName) || Like(i.CustomerEmail) || Like(i.CustomerId)).Select(i => i.Id).ToList();

        var found = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { Customer = customer }).Select(i => i.Id).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Status_Unknown_is_accepted_and_filtered_in_the_module_with_the_other_statuses(InvoiceProviderKind provider)
    {
        // The module labels Unknown whatever status word it does not know; no server filter can name those.
        var sandbox = new InvoiceSandbox();
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, Sandbox = true, SandboxInstance = sandbox.AsServer() });
        var query = new InvoiceQuery { Statuses = new[] { InvoiceStatus.Unknown, InvoiceStatus.Paid } };

        var plan = InvoiceEngine.Plan(connection, query);
        Assert.DoesNotContain(plan.ServerParameters, p => p.Key.StartsWith("status", StringComparison.OrdinalIgnoreCase));
        Assert.True(plan.Matches(new Invoice { Status = InvoiceStatus.Unknown }));
        Assert.True(plan.Matches(new Invoice { Status = InvoiceStatus.Paid }));
        Assert.False(plan.Matches(new Invoice { Status = InvoiceStatus.Open }));
        Assert.Contains(plan.Notes, n => n.Contains("-Status Unknown", StringComparison.Ordinal));

        var all = InvoiceEngine.GetInvoices(connection, new InvoiceQuery()).ToList();
        sandbox.ClearRequests();
        var filtered = InvoiceEngine.GetInvoices(connection, query).Select(i => i.Id).ToList();
        Assert.Equal(all.Where(i => i.Status is InvoiceStatus.Unknown or InvoiceStatus.Paid).Select(i => i.Id), filtered);
        Assert.NotEmpty(filtered);
        Assert.All(sandbox.Requests, r => Assert.DoesNotContain("status", r.QueryString, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, InvoiceStatus.Draft, "Open, Overdue, Paid, Void")]
    [InlineData(InvoiceProviderKind.Revolv3, InvoiceStatus.Overdue, "Draft, Open, Paid, PartiallyRefunded, Refunded, Void, Uncollectible, Failed")]
    [InlineData(InvoiceProviderKind.Opterius, InvoiceStatus.Expired, "Draft, Open, Overdue, Paid, Refunded, Void")]
    [InlineData(InvoiceProviderKind.Kitchen, InvoiceStatus.Refunded, "Draft, Open, Overdue, Paid, Void, Uncollectible")]
    [InlineData(InvoiceProviderKind.Xendit, InvoiceStatus.Void, "Open, Paid, Expired")]
    public void A_status_the_provider_does_not_have_lists_the_ones_it_has(InvoiceProviderKind provider, InvoiceStatus status, string accepted)
    {
        var error = RefusedBeforeAnyRequest(provider, new InvoiceQuery { Statuses = new[] { status } });

        Assert.Equal("Status", error.ParameterName);
        Assert.EndsWith("has no invoices in status " + status + ".", error.Message, StringComparison.Ordinal);
        Assert.Equal("Use -Status with one of: " + accepted + ".", error.RecommendedAction);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, "PaidAfter", "Xendit")]
    [InlineData(InvoiceProviderKind.Revolv3, "PaymentChannel", "Xendit")]
    [InlineData(InvoiceProviderKind.Opterius, "CustomerReference", "Revolv3")]
    [InlineData(InvoiceProviderKind.Kitchen, "PaidAfter", "Xendit")]
    [InlineData(InvoiceProviderKind.Xendit, "State", "Kitchen")]
    public void A_filter_the_provider_cannot_honour_says_which_provider_can(InvoiceProviderKind provider, string filter, string supportedBy)
    {
        var query = filter switch
        {
            "PaidAfter" => new InvoiceQuery { PaidAfter = Now },
            "PaymentChannel" => new InvoiceQuery { PaymentChannels = new[] { "BCA" } },
            "CustomerReference" => new InvoiceQuery { CustomerReference = "CUST-001" },
            _ => new InvoiceQuery { State = KitchenState.All },
        };

        var error = RefusedBeforeAnyRequest(provider, query);

        Assert.Equal(filter, error.ParameterName);
        Assert.Contains("-" + filter + " is not a filter", error.Message, StringComparison.Ordinal);
        Assert.Contains("it works with " + supportedBy, error.Message, StringComparison.Ordinal);
        Assert.Contains("Get-InvoiceProvider lists each provider's filters", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(InvoiceProviderKind.Revere, "GroupId", "-GroupId <uuid>")]
    [InlineData(InvoiceProviderKind.Kitchen, "Workspace", "-Workspace acme")]
    [InlineData(InvoiceProviderKind.Opterius, "BaseUri", "https://billing.example.com")]
    public void A_missing_account_setting_says_what_to_pass(InvoiceProviderKind provider, string parameter, string example)
    {
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, ApiKey = LoopbackSandbox.Secure("key") }));

        Assert.Equal(parameter, error.ParameterName);
        Assert.Contains(example, error.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a uri", "is not a valid base URI", "Give an absolute https:// address")]
    [InlineData("http://api.example.com/", "uses plain http", "Use https://")]
    [InlineData("https://user:pass@api.example.com/", "must not contain credentials", "Give just the API root")]
    [InlineData("https://api.example.com/?token=x", "must not contain credentials, a query", "Give just the API root")]
    [InlineData("ftp://api.example.com/", "'ftp://api.example.com/' is not a valid base URI", "Give an absolute https:// address")]
    public void A_malformed_base_uri_is_refused_with_an_example(string baseUri, string problem, string action)
    {
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Xendit,
            BaseUri = baseUri,
            ApiKey = LoopbackSandbox.Secure("xnd_development_key"),
        }));

        Assert.Equal("BaseUri", error.ParameterName);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(action, error.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("pass", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_xendit_key_is_refused_and_the_secret_key_prefixes_are_named()
    {
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.Connect(new ConnectionOptions
        {
            Provider = InvoiceProviderKind.Xendit,
            ApiKey = LoopbackSandbox.Secure("xnd_public_development_Zm9vYmFy"),
        }));

        Assert.Equal("ApiKey", error.ParameterName);
        Assert.Contains("public key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zm9vYmFy", error.Message, StringComparison.Ordinal);
        Assert.Contains("xnd_development_", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("xnd_production_", error.RecommendedAction, StringComparison.Ordinal);
    }
}

public sealed class ErrorClassificationTests
{
    [Fact]
    public void Every_exception_the_module_raises_has_its_own_id_and_a_listed_category()
    {
        var errors = new Exception[]
        {
            new InvoiceConfigurationException("m"), new InvoiceAuthenticationException("m"), new InvoiceNotFoundException("m"), new InvoiceValidationException("m"),
            new InvoiceRateLimitException("m"), new InvoiceResponseException("m"), new InvoiceTransportException("m"), new InvoicePagingException("m"),
            new InvoiceApiException("m"), new NoConnectionException(), new InvalidOperationException("m"),
        };

        var classes = errors.Select(ErrorClassification.Classify).ToList();

        Assert.Equal(errors.Length, classes.Select(c => c.ErrorId).Distinct().Count());
        Assert.All(classes, c => Assert.Contains(c.Category, ErrorClassification.CategoryNames.Split(',')));
        Assert.All(classes, c => Assert.StartsWith("InvoiceTools", c.ErrorId, StringComparison.Ordinal));
        Assert.Equal(("InvoiceToolsRateLimited", "LimitsExceeded"), ErrorClassification.Classify(new InvoiceRateLimitException("m")));
    }
}
