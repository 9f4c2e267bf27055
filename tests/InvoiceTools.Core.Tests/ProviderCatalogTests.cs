using System;
using System.Collections.Generic;
using System.Linq;
using InvoiceTools.Connections;
using InvoiceTools.Engine;
using InvoiceTools.Providers;
using InvoiceTools.Requests;

namespace InvoiceTools.Tests;

/// <summary>
/// The filter lists providers declare once (<see cref="FilterUse"/>) and what is read from them: Get-InvoiceProvider's
/// ServerFilters, ClientFilters and ProviderFilters, the provider-only names a query is checked against, and the
/// checkpoint scope.
/// </summary>
public sealed class ProviderCatalogTests
{
    public static TheoryData<InvoiceProviderKind, string[], string[], string[]> DescriptorFilters => new()
    {
        // What Get-InvoiceProvider showed when the lists were written by hand: reading them from the declarations changes none.
        { InvoiceProviderKind.Revere, new[] { "Status (statuses)", "CreatedAfter (start)", "CreatedBefore (end)", "Customer (partner_name)" }, new[] { "ExternalId" }, new[] { "ExternalId" } },
        {
            InvoiceProviderKind.Revolv3,
            new[] { "CreatedAfter/CreatedBefore (billing date: startDate/endDate, or billingStartDate/billingEndDate on v1)", "UpdatedAfter/UpdatedBefore (lastUpdateStartDate/lastUpdateEndDate, v1)", "CustomerReference (merchantCustomerRefId, v1)" },
            new[] { "Status", "Customer", "ExternalId", "CreatedAfter/CreatedBefore (to the exact instant)" },
            new[] { "UpdatedAfter", "UpdatedBefore", "CustomerReference", "ExternalId" }
        },
        { InvoiceProviderKind.Opterius, new[] { "Status (status, when exactly one of Open, Overdue, Paid, Void is asked for)" }, new[] { "Status (several, or Draft/Refunded)", "CreatedAfter", "CreatedBefore" }, Array.Empty<string>() },
        { InvoiceProviderKind.Kitchen, new[] { "State (state)" }, new[] { "Status", "CreatedAfter", "CreatedBefore", "Customer", "ExternalId" }, new[] { "State", "ExternalId" } },
        {
            InvoiceProviderKind.Xendit,
            new[]
            {
                "Status (statuses)", "CreatedAfter/CreatedBefore (created_after/created_before)", "PaidAfter/PaidBefore (paid_after/paid_before)",
                "ExpiresAfter/ExpiresBefore (expired_after/expired_before)", "ExternalId (external_id)", "ClientType (client_types)",
                "PaymentChannel (payment_channels)", "RecurringPaymentId (recurring_payment_id)", "OnDemandLink (on_demand_link)",
            },
            new[] { "Customer" },
            new[] { "PaidAfter", "PaidBefore", "ExpiresAfter", "ExpiresBefore", "ExternalId", "ClientType", "PaymentChannel", "RecurringPaymentId", "OnDemandLink" }
        },
    };

    [Theory]
    [MemberData(nameof(DescriptorFilters))]
    public void A_descriptors_filter_lists_are_read_from_its_declared_uses(InvoiceProviderKind kind, string[] server, string[] client, string[] providerOnly)
    {
        var descriptor = ProviderCatalog.Descriptor(kind);

        Assert.Equal(server, descriptor.ServerFilters);
        Assert.Equal(client, descriptor.ClientFilters);
        Assert.Equal(providerOnly, descriptor.ProviderFilters);
    }

    [Fact]
    public void Every_query_property_but_the_paging_ones_is_a_filter_under_its_parameter_name()
    {
        Assert.Equal(
            new[] { "Status", "CreatedAfter", "CreatedBefore", "Customer", "PaidAfter", "PaidBefore", "ExpiresAfter", "ExpiresBefore", "ExternalId", "ClientType", "PaymentChannel", "RecurringPaymentId", "OnDemandLink", "UpdatedAfter", "UpdatedBefore", "CustomerReference", "State", "Number" },
            QueryFilter.All.Select(f => f.Name));
        Assert.Equal(
            new[] { "PaidAfter", "PaidBefore", "ExpiresAfter", "ExpiresBefore", "ExternalId", "ClientType", "PaymentChannel", "RecurringPaymentId", "OnDemandLink", "UpdatedAfter", "UpdatedBefore", "CustomerReference", "State" },
            QueryFilter.All.Where(f => f.ProviderOnly).Select(f => f.Name));
        Assert.Equal(typeof(IReadOnlyList<XenditClientType>), QueryFilter.Named("ClientType").Type);
        Assert.Throws<ArgumentException>(() => QueryFilter.Named("ClientTypes"));
    }

    [Fact]
    public void Every_time_range_is_checked_in_order()
    {
        Assert.Equal(
            new[] { "CreatedAfter-CreatedBefore", "PaidAfter-PaidBefore", "ExpiresAfter-ExpiresBefore", "UpdatedAfter-UpdatedBefore" },
            QueryFilter.Ranges.Select(r => $"{r.After.Name}-{r.Before.Name}"));

        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, Sandbox = true });
        var day = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var error = Assert.Throws<InvoiceConfigurationException>(() => connection.Implementation.Plan(new InvoiceQuery { UpdatedAfter = day, UpdatedBefore = day }, connection));
        Assert.Equal("UpdatedAfter", error.ParameterName);
        Assert.StartsWith("-UpdatedAfter (2026-11-01T00:00:00Z) must be earlier than -UpdatedBefore (2026-11-01T00:00:00Z).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_filter_is_used_when_it_holds_a_value_not_empty_text_or_an_empty_list()
    {
        var day = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Empty(InvoiceProvider.ProviderFilterNames(new InvoiceQuery { ExternalId = string.Empty, PaymentChannels = Array.Empty<string>(), Customer = "acme", Statuses = new[] { InvoiceStatus.Paid } }));
        Assert.Equal(
            new[] { "PaidBefore", "ExternalId", "PaymentChannel", "UpdatedAfter", "State" },
            InvoiceProvider.ProviderFilterNames(new InvoiceQuery { State = KitchenState.Active, UpdatedAfter = day, PaymentChannels = new[] { "BCA" }, ExternalId = "x", PaidBefore = day }));
    }

    [Fact]
    public void A_filter_a_provider_does_not_declare_is_refused_naming_the_providers_that_declare_it()
    {
        using var connection = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Opterius, Sandbox = true });
        var error = Assert.Throws<InvoiceConfigurationException>(() => connection.Implementation.Plan(new InvoiceQuery { UpdatedBefore = DateTimeOffset.UtcNow }, connection));

        Assert.Equal("UpdatedBefore", error.ParameterName);
        Assert.StartsWith("-UpdatedBefore is not a filter Opterius Commerce can apply; it works with Revolv3.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checkpoint_scope_names_every_filter_set_and_no_paging()
    {
        var day = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var query = new InvoiceQuery { UpdatedAfter = day, CustomerReference = "c-1", Number = "INV-7", PageSize = 5, Skip = 2, First = 3 };

        Assert.Equal("UpdatedAfter=2026-11-01T00:00:00.0000000Z;CustomerReference=c-1;Number=INV-7", query.Signature());
        Assert.NotEqual(query.Signature(), (query with { UpdatedAfter = day.AddDays(1) }).Signature());
    }

    [Fact]
    public void Every_provider_kind_is_in_the_catalog_once()
    {
        var listed = ProviderCatalog.BuiltIn.Select(p => p.Descriptor.Kind).ToList();
        foreach (var kind in ProviderKinds.BuiltIn)
        {
            Assert.True(listed.Count(k => k == kind) == 1, $"InvoiceProviderKind.{kind} is not in ProviderCatalog (src/InvoiceTools.Core/Providers/ProviderCatalog.cs), or is there twice.");
        }

        Assert.Equal(ProviderKinds.BuiltIn, listed);
    }

    [Fact]
    public void Every_provider_only_filter_is_applied_by_some_provider()
    {
        var applied = ProviderCatalog.All.SelectMany(p => p.Descriptor.ProviderFilters).ToHashSet(StringComparer.Ordinal);
        foreach (var filter in QueryFilter.All.Where(f => f.ProviderOnly))
        {
            Assert.True(applied.Contains(filter.Name), $"-{filter.Name} is a provider-only filter that no provider applies: add a FilterUse for it to the descriptor in Providers/<Name>/<Name>Provider.cs.");
        }
    }

    [Fact]
    public void A_setting_two_providers_take_is_declared_once()
    {
        var declared = ProviderCatalog.All.SelectMany(p => p.Descriptor.Settings).Distinct().ToList();

        Assert.Equal(declared.Count, declared.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(new[] { "Currency", "GroupId" }, ConnectionSettings.SettingsOf(InvoiceProviderKind.Revere));
        Assert.Equal(new[] { "AuthScheme", "Currency", "Endpoint", "Environment" }, ConnectionSettings.SettingsOf(InvoiceProviderKind.Revolv3));
        Assert.Equal(
            new[] { ("BaseUri", false), ("Proxy", false), ("GroupId", false), ("Workspace", false), ("ForUserId", true), ("AppgregatorProject", false), ("AppgregatorConnection", false) },
            InvoiceConnectionFactory.WireSettings.Select(w => (w.Name, w.Header)));
    }

    public static TheoryData<InvoiceProviderKind, bool> Routes()
    {
        var routes = new TheoryData<InvoiceProviderKind, bool>();
        foreach (var kind in ProviderKinds.BuiltIn)
        {
            routes.Add(kind, false);
        }

        routes.Add(InvoiceProviderKind.Xendit, true);
        return routes;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void Every_provider_in_the_catalog_has_an_emulator_that_serves_its_sandbox_route(InvoiceProviderKind kind, bool appgregator)
    {
        var options = new ConnectionOptions { Provider = kind, Sandbox = true, Gateway = appgregator ? XenditGateway.Appgregator : XenditGateway.Direct };
        var route = ProviderCatalog.Get(kind).SandboxDefaultsFor(options).Route;
        Assert.True(
            new InvoiceTools.Sandbox.InvoiceSandbox().ApiNames.Contains(route, StringComparer.OrdinalIgnoreCase),
            $"{kind}'s sandbox route '{route}' has no emulator: add src/InvoiceTools.Sandbox/{kind}Api.cs and register it in InvoiceSandbox.");

        using var connection = InvoiceConnectionFactory.Connect(options);
        var first = Assert.Single(InvoiceEngine.GetInvoices(connection, new InvoiceQuery { First = 1 }, NullInvoiceStreamObserver.Instance));
        Assert.Equal(kind.ToString(), first.Provider);
    }

    [Fact]
    public void A_connection_reads_its_provider_settings_once_into_a_typed_configuration()
    {
        using var revolv3 = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revolv3, Sandbox = true, Endpoint = Revolv3Endpoint.V1, AuthScheme = Revolv3AuthScheme.Bearer, Currency = " eur " });
        var configuration = Assert.IsType<Revolv3Configuration>(revolv3.Configuration);
        Assert.Equal((Revolv3Endpoint.V1, Revolv3AuthScheme.Bearer, "EUR"), (configuration.Endpoint, configuration.AuthScheme, configuration.Currency));
        Assert.Equal("V1", revolv3.Setting("Endpoint"));
        Assert.EndsWith("/api/Invoices/v1", revolv3.Implementation.ListEndpoint(revolv3).AbsolutePath, StringComparison.Ordinal);

        using var revere = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Revere, Sandbox = true });
        Assert.Equal(InvoiceTools.Sandbox.RevereApi.GroupId.ToString(), Assert.IsType<RevereConfiguration>(revere.Configuration).GroupId);

        using var xendit = InvoiceConnectionFactory.Connect(new ConnectionOptions { Provider = InvoiceProviderKind.Xendit, Sandbox = true, Gateway = XenditGateway.Appgregator, AppgregatorProject = " shop " });
        Assert.Equal("shop", Assert.IsType<XenditConfiguration>(xendit.Configuration).Project);
        Assert.Equal("Xendit-Appgregator-Sandbox", xendit.Name);
        Assert.Contains("name=shop", xendit.Implementation.ListEndpoint(xendit).Query, StringComparison.Ordinal);
    }
}
