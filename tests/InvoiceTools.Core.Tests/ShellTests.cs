using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Providers;
using InvoiceTools.Requests;
using InvoiceTools.Sandbox;
using InvoiceTools.Shell;

namespace InvoiceTools.Tests;

public sealed class MeasureInvoiceTests
{
    private static Invoice Make(string? currency, InvoiceStatus status, decimal? total, decimal? due, DateTimeOffset? dueDate = null, InvoiceProviderKind provider = InvoiceProviderKind.Revere) =>
        new() { Id = Guid.NewGuid().ToString(), Currency = currency, Status = status, Total = total, AmountDue = due, DueDate = dueDate, Provider = provider.ToString() };

    [Fact]
    public void Sums_per_currency_and_never_across_currencies()
    {
        var measure = new InvoiceMeasure();
        measure.Add(Make("USD", InvoiceStatus.Open, 100.10m, 100.10m));
        measure.Add(Make("EUR", InvoiceStatus.Paid, 50m, 0m, provider: InvoiceProviderKind.Kitchen));
        measure.Add(Make("usd", InvoiceStatus.Overdue, 20.05m, 15m, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), InvoiceProviderKind.Kitchen));
        measure.Add(Make("USD", InvoiceStatus.Overdue, 7m, 7m, new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero)));
        measure.Add(Make("JPY", InvoiceStatus.Void, 1000m, 0m));

        var results = measure.Results;

        Assert.Equal(new[] { "EUR", "JPY", "USD" }, results.Select(r => r.Currency));
        var usd = results.Single(r => r.Currency == "USD");
        Assert.Equal(3, usd.Count);
        Assert.Equal(127.15m, usd.Total);
        Assert.Equal(122.10m, usd.AmountDue);
        Assert.Equal(2, usd.OverdueCount);
        Assert.Equal(22m, usd.AmountOverdue);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), usd.OldestOverdueDueDate);
        Assert.Equal("Revere, Kitchen", usd.Providers);
        var eur = results.Single(r => r.Currency == "EUR");
        Assert.Equal((1L, 50m, 0m, 0L, 0m), (eur.Count, eur.Total, eur.AmountDue, eur.OverdueCount, eur.AmountOverdue));
        Assert.Null(eur.OldestOverdueDueDate);
        Assert.Equal((1L, 1000m, 0m), (results.Single(r => r.Currency == "JPY").Count, results.Single(r => r.Currency == "JPY").Total, results.Single(r => r.Currency == "JPY").AmountDue));
    }

    [Fact]
    public void Invoices_without_a_total_or_a_currency_are_counted_and_reported_apart()
    {
        var measure = new InvoiceMeasure();
        measure.Add(Make(null, InvoiceStatus.Open, 10m, 10m));
        measure.Add(Make("USD", InvoiceStatus.Open, null, null));
        measure.Add(Make("USD", InvoiceStatus.Open, 5m, 5m));

        var results = measure.Results;

        Assert.Equal(new[] { "USD", null }, results.Select(r => r.Currency));
        Assert.Equal((2L, 5m, 5m, 1L), (results[0].Count, results[0].Total, results[0].AmountDue, results[0].MissingTotalCount));
        Assert.Equal((1L, 10m), (results[1].Count, results[1].Total));
        Assert.Equal("(no currency): 1 invoices, total 10.00, due 10.00, overdue 0.00", results[1].ToString());
    }

    [Fact]
    public void The_balance_due_widget_over_the_Opterius_sandbox_matches_a_hand_count()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Opterius, Sandbox = true });
        var invoices = InvoiceEngine.GetInvoices(connection, new InvoiceQuery { Statuses = new[] { InvoiceStatus.Open, InvoiceStatus.Overdue } }, NullInvoiceStreamObserver.Instance).ToList();
        var measure = new InvoiceMeasure();
        invoices.ForEach(measure.Add);

        Assert.NotEmpty(invoices);
        foreach (var group in invoices.GroupBy(i => i.Currency))
        {
            var summary = measure.Results.Single(r => r.Currency == group.Key);
            Assert.Equal(group.Count(), summary.Count);
            Assert.Equal(group.Sum(i => i.AmountDue ?? 0m), summary.AmountDue);
            Assert.Equal(group.Where(i => i.Status == InvoiceStatus.Overdue).Sum(i => i.AmountDue ?? 0m), summary.AmountOverdue);
        }

        Assert.Equal(invoices.Select(i => i.Currency).Distinct().Count(), measure.Results.Count);
    }
}

public sealed class CompletionTests
{
    [Fact]
    public void Completes_by_case_insensitive_prefix_in_the_given_order_without_duplicates()
    {
        var results = Completion.Complete(new[] { "Kitchen-Sandbox", "kitchen", "Revere", "Kitchen" }, "KIT");

        Assert.Equal(new[] { "Kitchen-Sandbox", "kitchen" }, results.Select(r => r.CompletionText));
    }

    [Theory]
    [InlineData("'Ki", "Kitchen")]
    [InlineData("\"Ki", "Kitchen")]
    [InlineData("", "Kitchen")]
    [InlineData(null, "Kitchen")]
    public void Ignores_the_quote_the_user_started_with(string? word, string expected)
    {
        Assert.Equal(expected, Assert.Single(Completion.Complete(new[] { "Kitchen" }, word)).CompletionText);
    }

    [Theory]
    [InlineData("acme", "acme")]
    [InlineData("acme prod", "'acme prod'")]
    [InlineData("o'brien", "'o''brien'")]
    [InlineData("$money", "'$money'")]
    [InlineData("a,b", "'a,b'")]
    [InlineData("-x", "'-x'")]
    public void Quotes_names_the_parser_would_split_or_expand(string name, string expected)
    {
        var result = Assert.Single(Completion.Complete(new[] { name }, string.Empty));
        Assert.Equal(expected, result.CompletionText);
        Assert.Equal(name, result.ListItemText);
    }

    [Fact]
    public void Tooltips_come_from_the_candidate_pairs()
    {
        var result = Assert.Single(Completion.Complete(new[] { new KeyValuePair<string, string>("Revere", "Revere (sandbox)") }, "r"));
        Assert.Equal("Revere (sandbox)", result.ToolTip);
    }

    [Fact]
    public void Statuses_complete_from_the_providers_in_play_with_their_words_as_tooltips()
    {
        var revere = ProviderCatalog.Get(InvoiceProviderKind.Revere).Descriptor;
        var kitchen = ProviderCatalog.Get(InvoiceProviderKind.Kitchen).Descriptor;
        var xendit = ProviderCatalog.Get(InvoiceProviderKind.Xendit).Descriptor;

        Assert.Equal(new[] { "Unknown", "Open", "Paid", "Expired" }, Completion.Statuses(new[] { xendit }).Select(p => p.Key));
        Assert.Equal(new[] { "Unknown", "Draft", "Open", "Overdue", "Paid", "Void", "Uncollectible", "Expired" }, Completion.Statuses(new[] { kitchen, xendit }).Select(p => p.Key));
        Assert.Equal(Enum.GetNames<InvoiceStatus>(), Completion.Statuses(Array.Empty<ProviderDescriptor>()).Select(p => p.Key));
        Assert.Equal("Overdue: past_due (Revere)", Completion.Statuses(new[] { revere }).Single(p => p.Key == "Overdue").Value);
        Assert.Equal("Overdue: worked out by the module (Kitchen)", Completion.Statuses(new[] { kitchen }).Single(p => p.Key == "Overdue").Value);
    }

    [Fact]
    public void Payment_channels_complete_from_Xendit_codes()
    {
        var results = Completion.Complete(XenditProvider.PaymentChannels, "b");
        Assert.Contains("BCA", results.Select(r => r.CompletionText));
        Assert.All(results, r => Assert.StartsWith("B", r.CompletionText, StringComparison.Ordinal));
    }
}

public sealed class ProgressPolicyTests
{
    [Fact]
    public void An_interactive_console_shows_progress()
    {
        Assert.True(ProgressPolicy.ShouldShow(new HostFacts { HostName = "ConsoleHost", ProgressPreference = "Continue", CommandLine = new[] { "pwsh", "-NoLogo" } }, out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("SilentlyContinue", "ConsoleHost", true, false, "pwsh", "$ProgressPreference is SilentlyContinue")]
    [InlineData("Ignore", "ConsoleHost", true, false, "pwsh", "$ProgressPreference is Ignore")]
    [InlineData("Continue", "ConsoleHost", true, true, "pwsh", "this is an Azure Automation job")]
    [InlineData("Continue", "Default Host", true, false, "pwsh", "the host has no user interface")]
    [InlineData("Continue", "ConsoleHost", false, false, "pwsh", "the process is not interactive")]
    [InlineData("Continue", "ConsoleHost", true, false, "-NonInteractive", "PowerShell was started with -NonInteractive")]
    [InlineData("Continue", "ConsoleHost", true, false, "-noni", "PowerShell was started with -NonInteractive")]
    [InlineData("Continue", "ConsoleHost", true, false, "/NonInteractive", "PowerShell was started with -NonInteractive")]
    public void Progress_is_suppressed_where_nobody_watches(string preference, string host, bool interactive, bool automation, string argument, string expected)
    {
        var facts = new HostFacts { ProgressPreference = preference, HostName = host, UserInteractive = interactive, AzureAutomationJob = automation, CommandLine = new[] { "pwsh", argument } };

        Assert.False(ProgressPolicy.ShouldShow(facts, out var reason));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData("-NoProfile")]
    [InlineData("-non")]
    [InlineData("-Command")]
    [InlineData("-nonsense")]
    public void Other_switches_do_not_count_as_non_interactive(string argument)
    {
        Assert.True(ProgressPolicy.ShouldShow(new HostFacts { HostName = "ConsoleHost", CommandLine = new[] { "pwsh", argument } }, out _));
    }

    [Theory]
    [InlineData("-File", "script.ps1")]
    [InlineData("-c", "Get-Invoice")]
    [InlineData("-Command", "Get-Invoice")]
    public void A_noni_argument_meant_for_the_script_does_not_count(string start, string script)
    {
        Assert.True(ProgressPolicy.ShouldShow(new HostFacts { HostName = "ConsoleHost", CommandLine = new[] { "pwsh", "-NoProfile", start, script, "-noni" } }, out _));
        Assert.False(ProgressPolicy.ShouldShow(new HostFacts { HostName = "ConsoleHost", CommandLine = new[] { "pwsh", "-ExecutionPolicy", "Bypass", "-NonInteractive", start, script } }, out _));
    }
}

public sealed class ConnectionSettingsTests
{
    private static List<KeyValuePair<string, object?>> Pairs(params (string Key, object? Value)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)).ToList();

    [Fact]
    public void Reads_a_csv_row_with_text_values_and_ignores_empty_cells_and_unknown_columns()
    {
        var options = ConnectionSettings.Read(
            Pairs(("provider", "kitchen"), ("Name", " design "), ("GroupId", ""), ("Workspace", "acme"), ("Environment", "  "), ("Owner", "finance"), ("Sandbox", "False")),
            out var ignored);

        Assert.Equal(InvoiceProviderKind.Kitchen, options.Provider);
        Assert.Equal("design", options.Name);
        Assert.Null(options.GroupId);
        Assert.Equal("acme", options.Workspace);
        Assert.Equal(Revolv3Environment.Production, options.Environment);
        Assert.False(options.Sandbox);
        Assert.Equal(new[] { "Owner" }, ignored);
    }

    [Fact]
    public void Later_values_win_so_a_row_overrides_the_command_line()
    {
        var options = ConnectionSettings.Read(Pairs(("Provider", InvoiceProviderKind.Revere), ("Name", "cli"), ("Provider", "Xendit"), ("Name", "row"), ("Gateway", XenditGateway.Appgregator), ("Sandbox", true)), out _);

        Assert.Equal((InvoiceProviderKind.Xendit, "row", XenditGateway.Appgregator, true), (options.Provider, options.Name, options.Gateway, options.Sandbox));
    }

    [Fact]
    public void A_text_key_becomes_a_SecureString_and_the_connection_works()
    {
        var options = ConnectionSettings.Read(Pairs(("Provider", "Revere"), ("Sandbox", "true"), ("ApiKey", Sandbox.RevereApi.ApiKey)), out _);

        Assert.IsType<SecureString>(options.ApiKey);
        Assert.Equal(Sandbox.RevereApi.ApiKey.Length, options.ApiKey!.Length);
        using var connection = InvoiceConnectionFactory.Connect(options);
        Assert.Equal(5, InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 5 }, NullInvoiceStreamObserver.Instance).Count());
    }

    [Fact]
    public void A_missing_provider_names_the_choices()
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => ConnectionSettings.Read(Pairs(("Workspace", "acme"), ("Provider", "")), out _));

        Assert.Equal("Provider", ex.ParameterName);
        Assert.Contains("Revere, Revolv3, Opterius, Kitchen, Xendit", ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Provider", "Stripe", "Revere, Revolv3, Opterius, Kitchen, Xendit")]
    [InlineData("Provider", "3", "Revere, Revolv3, Opterius, Kitchen, Xendit")]
    [InlineData("Gateway", "Proxy", "Direct, Appgregator")]
    [InlineData("Sandbox", "maybe", "true or false")]
    public void A_bad_value_names_the_setting_and_what_it_accepts(string name, string value, string accepted)
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => ConnectionSettings.Read(Pairs(("Provider", "Xendit"), (name, value)), out _));

        Assert.Equal(name, ex.ParameterName);
        Assert.Contains(accepted, $"{ex.Message} {ex.RecommendedAction}", StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_key_value_never_echoes_the_value()
    {
        var ex = Assert.Throws<InvoiceConfigurationException>(() => ConnectionSettings.Read(Pairs(("Provider", "Xendit"), ("ApiKey", new NetworkCredential("u", "s3cr3t-value"))), out _));

        Assert.DoesNotContain("s3cr3t", ex.Message + ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_Connect_parameter_that_configures_a_connection_is_a_setting()
    {
        var expected = typeof(ConnectionOptions).GetProperties()
            .Select(p => p.Name)
            .Except(new[] { "Retry", "SandboxInstance", "PrimaryHandler", "TimeProvider", "Paging", "EnvironmentVariables", "KeySource", "HostProduct", "ProviderName", "DefinedSettings" })
            .Concat(typeof(PagingOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name))
            .Append("Setting")
            .OrderBy(n => n, StringComparer.Ordinal);

        Assert.Equal(expected, ConnectionSettings.Names);
    }
}

public sealed class MoneyFormatTests
{
    [Theory]
    [InlineData("2547.96", "USD", 20, "2,547.96 USD")]
    [InlineData("3606268000", "IDR", 20, "3,606,268,000.00 IDR")]
    [InlineData("3606268000", "IDR", 19, "3606268000.00 IDR")]
    [InlineData("218350", "JPY", 20, "218,350 JPY")]
    [InlineData("6779.85", "KWD", 20, "6,779.850 KWD")]
    [InlineData("-12.5", "EUR", 20, "-12.50 EUR")]
    [InlineData("99999999999999999", "USD", 20, "99999999999999999.00 USD")]
    public void Money_keeps_every_digit_and_drops_grouping_before_a_column_would_cut_it(string amount, string currency, int width, string expected)
    {
        using var culture = new InvariantCultureScope();
        Assert.Equal(expected, Currency.FormatMoney(decimal.Parse(amount, CultureInfo.InvariantCulture), currency, width));
    }

    [Theory]
    [InlineData("2021871.13", "USD", 16, "2,021,871.13")]
    [InlineData("5559250000", "VND", 13, "5,559,250,000")]
    [InlineData("5559250000", "VND", 12, "5559250000")]
    [InlineData("12", null, 16, "12.00")]
    public void Amounts_without_the_code_follow_the_same_rule(string amount, string? currency, int width, string expected)
    {
        using var culture = new InvariantCultureScope();
        Assert.Equal(expected, Currency.FormatAmount(decimal.Parse(amount, CultureInfo.InvariantCulture), currency, width));
    }

    [Theory]
    [InlineData("156", 2, "156.00")]
    [InlineData("149.76", 2, "149.76")]
    [InlineData("218350", 0, "218350")]
    [InlineData("6779.85", 3, "6779.850")]
    [InlineData("0.125", 2, "0.125")]
    [InlineData("-3", 2, "-3.00")]
    public void WithScale_writes_the_currencys_digits_and_never_rounds(string amount, int exponent, string expected)
    {
        var value = decimal.Parse(amount, CultureInfo.InvariantCulture);
        var scaled = Currency.WithScale(value, exponent);
        Assert.Equal(expected, scaled!.Value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(value, scaled);
        Assert.Null(Currency.WithScale(null, 2));
    }

    [Theory]
    [MemberData(nameof(BadInputTests.Providers), MemberType = typeof(BadInputTests))]
    public void Every_amount_the_engine_returns_has_its_currencys_scale(InvoiceProviderKind provider)
    {
        // What Export-Csv and ConvertTo-Json write: 156.00 next to 149.76, never 156.
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, Sandbox = true });
        var invoices = InvoiceEngine.GetInvoices(connection, new InvoiceQuery()).ToList();
        Assert.NotEmpty(invoices);
        foreach (var invoice in invoices)
        {
            var digits = Currency.MinorUnitExponent(invoice.Currency);
            foreach (var amount in new[] { invoice.Subtotal, invoice.Tax, invoice.Total, invoice.AmountDue, invoice.AmountPaid, invoice.Fees }
                .Concat(invoice.LineItems.SelectMany(l => new[] { l.UnitPrice, l.Amount, l.Tax })).OfType<decimal>())
            {
                var text = amount.ToString(CultureInfo.InvariantCulture);
                var scale = text.Contains('.', StringComparison.Ordinal) ? text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
                Assert.True(scale >= digits, $"{provider} invoice {invoice.Id}: {text} {invoice.Currency} has {scale} decimal(s), the currency {digits}");
            }
        }
    }

    [Fact]
    public void A_missing_amount_is_an_empty_cell_never_a_zero()
    {
        Assert.Equal(string.Empty, Currency.FormatMoney(null, "USD", 20));
        Assert.Equal(string.Empty, Currency.FormatAmount(null, "USD"));
    }

    [Fact]
    public void Separators_follow_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal("2.547,96 EUR", Currency.FormatMoney(2547.96m, "EUR"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    private sealed class InvariantCultureScope : IDisposable
    {
        private readonly CultureInfo _saved = CultureInfo.CurrentCulture;

        public InvariantCultureScope() => CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        public void Dispose() => CultureInfo.CurrentCulture = _saved;
    }
}

public sealed class ErrorMessageTests
{
    public static TheoryData<Exception, string, string> ErrorsWithActions() => new()
    {
        { new InvoiceConfigurationException("Opterius Commerce has no public host.", "Pass -BaseUri."), "Opterius Commerce has no public host.", "Opterius Commerce has no public host. Pass -BaseUri." },
        { new NoConnectionException(), new NoConnectionException().Message, new NoConnectionException().Message + " " + new NoConnectionException().RecommendedAction },
        { new InvoiceConfigurationException("No action known."), "No action known.", "No action known." },
        { new InvalidOperationException("Not ours."), "Not ours.", "Not ours." },
    };

    [Theory]
    [MemberData(nameof(ErrorsWithActions))]
    public void Windows_PowerShell_gets_the_action_in_the_message_and_PowerShell_7_shows_it_apart(Exception exception, string onPowerShell7, string onWindowsPowerShell)
    {
        Assert.Equal(onPowerShell7, ErrorClassification.DisplayMessage(exception, hostShowsRecommendedAction: true));
        Assert.Equal(onWindowsPowerShell, ErrorClassification.DisplayMessage(exception, hostShowsRecommendedAction: false));
    }

    [Fact]
    public void This_runtime_is_one_that_shows_recommended_actions() => Assert.True(ErrorClassification.HostShowsRecommendedAction);
}

public sealed class InvoiceFieldsTests
{
    private static Func<string, PropertyValue?> Object(params (string Name, object? Value, string? Text)[] properties) =>
        name => properties.Where(p => p.Name == name).Select(p => (PropertyValue?)new PropertyValue(p.Value, p.Text ?? p.Value?.ToString())).FirstOrDefault();

    [Fact]
    public void An_object_is_measured_on_the_fields_it_has_and_nothing_else()
    {
        var fields = InvoiceFields.Read(Object(("Total", 5, null), ("Currency", "EUR", null)), out var problem);
        Assert.Null(problem);
        Assert.Equal((5m, "EUR"), (fields!.Total, fields.Currency));
        Assert.Null(fields.Provider);
        Assert.Null(fields.Status);
        Assert.Null(fields.AmountDue);

        var measure = new InvoiceMeasure();
        measure.Add(fields);
        var summary = Assert.Single(measure.Results);
        Assert.Equal(string.Empty, summary.Providers);
        Assert.Equal(0, summary.OverdueCount);
    }

    [Fact]
    public void Enum_values_that_ConvertTo_Json_wrote_as_numbers_are_read_as_those_values()
    {
        // ConvertTo-Json | ConvertFrom-Json gives Int64s: "Status": 3, "Provider": 3.
        var fields = InvoiceFields.Read(Object(("Total", 5L, null), ("Status", 3L, "3"), ("Provider", 3L, "3")), out var problem);
        Assert.Null(problem);
        Assert.Equal((InvoiceStatus.Overdue, "Kitchen"), (fields!.Status, fields.Provider));
        Assert.Null(InvoiceFields.Read(Object(("Total", 5L, null), ("Status", 99L, "99")), out problem));
        Assert.Contains("its Status '99' is not one of", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialized_enums_are_read_by_name_and_text_numbers_in_either_culture()
    {
        // A deserialized enum arrives as its number with its name as text.
        var fields = InvoiceFields.Read(Object(("Total", "1,234.50", null), ("AmountDue", 12.5d, null), ("Status", 3, "Overdue"), ("Provider", 4, "Xendit"), ("DueDate", "2026-11-01T00:00:00Z", null)), out var problem);
        Assert.Null(problem);
        Assert.Equal(1234.50m, fields!.Total);
        Assert.Equal(12.5m, fields.AmountDue);
        Assert.Equal(InvoiceStatus.Overdue, fields.Status);
        Assert.Equal("Xendit", fields.Provider);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), fields.DueDate);
    }

    [Theory]
    [InlineData("Name", "x", "neither a Total nor an AmountDue")]
    [InlineData("Total", "", "neither a Total nor an AmountDue")]
    [InlineData("Total", "abc", "its Total 'abc' is not a number")]
    [InlineData("Status", "2", "its Status '2' is not one of Unknown, Draft")]
    [InlineData("Status", "99", "its Status '99' is not one of Unknown, Draft")]
    [InlineData("Status", "Open, Paid", "its Status 'Open, Paid' is not one of")]
    [InlineData("DueDate", "soon", "its DueDate 'soon' is not a date")]
    public void What_cannot_be_read_is_named_and_nothing_is_measured(string name, string value, string expected)
    {
        var properties = name is "Name" or "Total" ? new[] { (name, (object?)value, (string?)null) } : new[] { ("Total", (object?)1m, (string?)null), (name, value, null) };
        Assert.Null(InvoiceFields.Read(Object(properties), out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}

public sealed class SandboxDateTests
{
    [Theory]
    [MemberData(nameof(BadInputTests.Providers), MemberType = typeof(BadInputTests))]
    public void The_data_of_any_day_is_the_reference_data_moved_by_whole_days(InvoiceProviderKind provider)
    {
        static List<Invoice> Read(InvoiceProviderKind provider, DateTimeOffset today)
        {
            var sandbox = new InvoiceSandbox(new SandboxOptions { Today = today });
            using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, Sandbox = true, SandboxInstance = sandbox.AsServer() });
            return InvoiceEngine.GetInvoices(connection, new InvoiceQuery()).ToList();
        }

        var reference = Read(provider, SandboxOptions.ReferenceNow);
        var later = Read(provider, SandboxOptions.ReferenceNow.AddDays(400).AddHours(15));
        var shift = TimeSpan.FromDays(400);

        Assert.Equal(reference.Count, later.Count);
        for (var i = 0; i < reference.Count; i++)
        {
            var (a, b) = (reference[i], later[i]);
            Assert.Equal((a.Id, a.Status, a.Total, a.AmountDue, a.Currency, a.Customer), (b.Id, b.Status, b.Total, b.AmountDue, b.Currency, b.Customer));
            Assert.Equal(a.CreatedAt + shift, b.CreatedAt);
            Assert.Equal(a.DueDate + shift, b.DueDate);
            Assert.Equal(a.PaidAt + shift, b.PaidAt);
        }
    }

    [Theory]
    [MemberData(nameof(BadInputTests.Providers), MemberType = typeof(BadInputTests))]
    public void No_invoice_is_created_or_paid_after_the_sandboxs_today(InvoiceProviderKind provider)
    {
        var today = new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.Zero);
        var sandbox = new InvoiceSandbox(new SandboxOptions { Today = today });
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = provider, Sandbox = true, SandboxInstance = sandbox.AsServer() });
        var invoices = InvoiceEngine.GetInvoices(connection, new InvoiceQuery()).ToList();

        Assert.All(invoices, i => Assert.True(i.PaidAt is null || i.PaidAt <= today, $"{i.Id} paid {i.PaidAt:o}"));
        Assert.All(invoices, i => Assert.True(i.CreatedAt is null || i.CreatedAt <= today, $"{i.Id} created {i.CreatedAt:o}"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("2026-11-01", false)]
    public void A_sandbox_connection_is_dated_from_today_unless_the_variable_pins_a_day(string? variable, bool today)
    {
        var day = InvoiceConnectionFactory.SandboxToday(name => name == InvoiceConnectionFactory.SandboxDateVariable ? variable : null, null);
        Assert.Equal(today ? new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero) : SandboxOptions.ReferenceNow, day);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("11/01/2026")]
    public void A_variable_that_is_not_a_date_is_a_clear_error(string variable)
    {
        var error = Assert.Throws<InvoiceConfigurationException>(() => InvoiceConnectionFactory.SandboxToday(_ => variable, null));
        Assert.Equal($"INVOICETOOLS_SANDBOX_DATE is '{variable}', which is not a date.", error.Message);
    }
}

public sealed class ExportedFieldTests
{
    [Theory]
    [InlineData("502.00", "en-US", "502.00")]
    [InlineData("502,00", "de-DE", "502.00")]
    [InlineData("502,00", "en-US", "502.00")]
    [InlineData("2021871,13", "fr-CH", "2021871.13")]
    [InlineData("2.021.871,13", "en-US", "2021871.13")]
    [InlineData("2,021,871.13", "de-DE", "2021871.13")]
    [InlineData("1,234", "en-US", "1234")]
    [InlineData("1,234", "de-DE", "1.234")]
    [InlineData("1,234.5", "de-DE", "1234.5")]
    [InlineData("1 234,50", "fr-FR", "1234.50")]
    [InlineData("1\u202F234,50", "fr-FR", "1234.50")]
    [InlineData("12.345", "de-DE", "12.345")]
    [InlineData("-0,50", "de-DE", "-0.50")]
    [InlineData("3606268000.00", "ja-JP", "3606268000.00")]
    [InlineData("502\u066B00", "ar-SA", "502.00")]
    public void An_amount_written_by_Export_Csv_in_any_culture_reads_back(string text, string culture, string expected)
    {
        Assert.True(InvoiceFields.TryParseAmount(text, CultureInfo.GetCultureInfo(culture), out var amount));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), amount);
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Unspecified)]
    public void A_date_from_ConvertFrom_Json_is_read_as_UTC(DateTimeKind kind)
    {
        var utc = new DateTime(2024, 2, 23, 0, 0, 0, DateTimeKind.Utc);
        var given = kind switch { DateTimeKind.Local => utc.ToLocalTime(), DateTimeKind.Utc => utc, _ => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) };
        var fields = InvoiceFields.Read(name => name switch
        {
            "Currency" => new PropertyValue("USD", null),
            "Total" => new PropertyValue(5m, null),
            "DueDate" => new PropertyValue(given, null),
            _ => null,
        }, out var problem);

        Assert.Null(problem);
        Assert.Equal(new DateTimeOffset(utc), fields!.DueDate);
        Assert.Equal(TimeSpan.Zero, fields.DueDate!.Value.Offset);
    }
}
