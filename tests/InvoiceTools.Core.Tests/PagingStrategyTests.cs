using System;
using System.Collections.Generic;
using System.Linq;
using InvoiceTools.Paging;
using InvoiceTools.Requests;

namespace InvoiceTools.Tests;

public sealed class PagingStrategyTests
{
    private static InvoicePage Page(int count, int start = 0) =>
        new(Enumerable.Range(start, count).Select(i => new Invoice { Id = "inv_" + i }).ToList());

    private static string Query(PagingStrategy strategy, PageState state, int size) =>
        string.Join("&", strategy.Parameters(state, size).Select(p => p.Key + "=" + p.Value));

    [Fact]
    public void Offset_paging_walks_to_the_total_and_stops_on_an_empty_page()
    {
        var paging = new OffsetLimitPaging();
        var state = paging.First(0);
        Assert.Equal("limit=10&offset=0", Query(paging, state, 10));
        state = paging.Advance(state, new InvoicePage(Page(10).Items) { TotalCount = 25 }, 10)!;
        Assert.Equal("limit=10&offset=10", Query(paging, state, 10));
        state = paging.Advance(state, new InvoicePage(Page(10).Items) { TotalCount = 25 }, 10)!;
        Assert.Null(paging.Advance(state, new InvoicePage(Page(5).Items) { TotalCount = 25 }, 10));
        Assert.Null(paging.Advance(paging.First(0), new InvoicePage(Page(0).Items) { TotalCount = 25 }, 10));
        Assert.Null(paging.Advance(paging.First(0), new InvoicePage(Page(10).Items) { TotalCount = 10 }, 10));
        Assert.Equal("limit=10&offset=40", Query(paging, paging.First(40), 10));
    }

    [Fact]
    public void Page_number_paging_stops_at_last_page_or_on_a_short_bare_page()
    {
        var paging = new PageNumberPaging("page", "pageSize");
        var first = paging.First(0);
        Assert.Equal("page=1&pageSize=100", Query(paging, first, 100));
        var second = paging.Advance(first, new InvoicePage(Page(100).Items) { CurrentPage = 1, LastPage = 3 }, 100)!;
        Assert.Equal("page=2&pageSize=100", Query(paging, second, 100));
        Assert.Null(paging.Advance(second with { PageNumber = 3 }, new InvoicePage(Page(100).Items) { CurrentPage = 3, LastPage = 3 }, 100));
        Assert.NotNull(paging.Advance(first, Page(100), 100));
        Assert.Null(paging.Advance(first, Page(99), 100));
        Assert.Null(paging.Advance(first, Page(0), 100));
        Assert.Null(paging.Advance(first, new InvoicePage(Page(15).Items) { TotalCount = 15 }, 15));
    }

    [Fact]
    public void Next_link_paging_follows_links_until_null()
    {
        var paging = new NextLinkPaging("per_page");
        var first = paging.First(0);
        var next = paging.Advance(first, new InvoicePage(Page(20).Items) { NextLink = "https://acme.kitchen.co/api/invoices?page=2", CurrentPage = 1, LastPage = 2 }, 20)!;
        Assert.Equal(new Uri("https://acme.kitchen.co/api/invoices?page=2"), next.NextLink);
        Assert.Equal("per_page=20", Query(paging, next, 20));
        Assert.Null(paging.Advance(next, new InvoicePage(Page(20).Items) { NextLink = null }, 20));
        Assert.Null(paging.Advance(next, new InvoicePage(Page(20).Items) { NextLink = "/api/invoices?page=3", CurrentPage = 2, LastPage = 2 }, 20));
    }

    [Fact]
    public void Cursor_paging_sends_the_last_id_under_every_name_and_refuses_to_loop()
    {
        var paging = new CursorPaging("limit", "last_invoice_id", "last_invoice");
        var first = paging.First(0);
        Assert.Equal("limit=3", Query(paging, first, 3));
        var second = paging.Advance(first, Page(3), 3)!;
        Assert.Equal("limit=3&last_invoice_id=inv_2&last_invoice=inv_2", Query(paging, second, 3));
        var error = Assert.Throws<InvoicePagingException>(() => paging.Advance(second, Page(3), 3));
        Assert.Contains("inv_2", error.Message, StringComparison.Ordinal);
        Assert.Null(paging.Advance(second, Page(2, 3), 3));
    }

    [Fact]
    public void Merge_reapplies_filters_a_next_link_dropped_and_keeps_its_own_paging()
    {
        var merged = QueryString.Merge(new Uri("https://acme.kitchen.co/api/invoices?page=2"), new[] { new KeyValuePair<string, string>("state", "all"), new KeyValuePair<string, string>("per_page", "50") });
        Assert.Equal("https://acme.kitchen.co/api/invoices?page=2&state=all&per_page=50", merged.AbsoluteUri);
        var replaced = QueryString.Merge(new Uri("https://acme.kitchen.co/api/invoices?state=active&page=3"), new[] { new KeyValuePair<string, string>("state", "all") });
        Assert.Equal("https://acme.kitchen.co/api/invoices?page=3&state=all", replaced.AbsoluteUri);
    }

    [Fact]
    public void Query_strings_escape_values_but_keep_commas_and_colons_readable()
    {
        var uri = QueryString.Append(new Uri("https://x.test/api"), new[] { new KeyValuePair<string, string>("partner_name", "Cedar & Pine"), new KeyValuePair<string, string>("start", "2025-01-01T00:00:00Z"), new KeyValuePair<string, string>("statuses", "paid,pending") });
        Assert.Equal("https://x.test/api?partner_name=Cedar%20%26%20Pine&start=2025-01-01T00:00:00Z&statuses=paid,pending", uri.AbsoluteUri);
    }
}
