using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using InvoiceTools.Sandbox;

namespace InvoiceTools.Benchmarks;

/// <summary>
/// Baseline (b): the hand-written loop users would otherwise write. Each page waits for the previous one and is
/// turned into <see cref="Dictionary{TKey,TValue}"/> trees, the way ConvertFrom-Json builds PSCustomObjects, and
/// the paging state is read back out of those trees.
/// </summary>
internal static class DictionaryLoop
{
    /// <summary>Reads every page of <paramref name="provider"/> from <paramref name="apiBase"/> and returns the number of invoices.</summary>
    public static async Task<long> RunAsync(HttpClient http, string provider, Uri apiBase, int pageSize, Action<Dictionary<string, object?>>? consume = null)
    {
        long count = 0;
        void Take(object? item)
        {
            count++;
            consume?.Invoke((Dictionary<string, object?>)item!);
        }

        switch (provider)
        {
            case "Revere":
                for (long offset = 0; ;)
                {
                    var root = (Dictionary<string, object?>)(await GetAsync(http, provider, new Uri(apiBase, "api/v1/groups/" + RevereApi.GroupId + "/invoices?limit=" + pageSize + "&offset=" + offset)).ConfigureAwait(false))!;
                    var items = (List<object?>)root["items"]!;
                    items.ForEach(Take);
                    offset += items.Count;
                    if (items.Count == 0 || offset >= (long)root["total_count"]!)
                    {
                        return count;
                    }
                }

            case "Opterius":
                for (var page = 1; ; page++)
                {
                    var root = (Dictionary<string, object?>)(await GetAsync(http, provider, new Uri(apiBase, "api/v1/invoices?page=" + page + "&per_page=" + pageSize)).ConfigureAwait(false))!;
                    ((List<object?>)root["data"]!).ForEach(Take);
                    if (!root.TryGetValue("meta", out var meta) || page >= (long)((Dictionary<string, object?>)meta!)["last_page"]!)
                    {
                        return count;
                    }
                }

            case "Kitchen":
                for (var next = new Uri(apiBase, "api/invoices?per_page=" + pageSize); ;)
                {
                    var root = (Dictionary<string, object?>)(await GetAsync(http, provider, next).ConfigureAwait(false))!;
                    ((List<object?>)root["data"]!).ForEach(Take);
                    var link = ((Dictionary<string, object?>)root["links"]!)["next"] as string;
                    if (string.IsNullOrEmpty(link))
                    {
                        return count;
                    }

                    // Laravel's links drop the other parameters; a careful script adds per_page back, as the module does.
                    next = new Uri(next, link);
                    next = new Uri(next.AbsoluteUri + (next.Query.Contains("per_page=", StringComparison.Ordinal) ? string.Empty : "&per_page=" + pageSize));
                }

            case "Xendit":
                for (string? cursor = null; ;)
                {
                    var uri = new Uri(apiBase, "v2/invoices?limit=" + pageSize + (cursor is null ? string.Empty : "&last_invoice_id=" + cursor));
                    var items = (List<object?>)(await GetAsync(http, provider, uri).ConfigureAwait(false))!;
                    items.ForEach(Take);
                    if (items.Count < pageSize)
                    {
                        return count;
                    }

                    cursor = (string)((Dictionary<string, object?>)items[items.Count - 1]!)["id"]!;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "No baseline loop for this provider.");
        }
    }

    /// <summary>One request with the provider's authentication, parsed into a tree.</summary>
    public static async Task<object?> GetAsync(HttpClient http, string provider, Uri uri) => ToTree(await GetBytesAsync(http, provider, uri).ConfigureAwait(false));

    /// <summary>One request with the provider's authentication, as bytes.</summary>
    public static async Task<byte[]> GetBytesAsync(HttpClient http, string provider, Uri uri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        switch (provider)
        {
            case "Revere":
                request.Headers.TryAddWithoutValidation("Authorization", RevereApi.ApiKey);
                break;
            case "Opterius":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OpteriusApi.Token);
                break;
            case "Kitchen":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KitchenApi.ApiKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.TryAddWithoutValidation("X-Requested-With", "XMLHttpRequest");
                break;
            case "Xendit":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(XenditApi.SecretKey + ":")));
                break;
        }

        using var response = await http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    }

    /// <summary>JSON into nested dictionaries, lists and scalars: a fast stand-in for ConvertFrom-Json's PSCustomObjects.</summary>
    public static object? ToTree(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return ToTree(document.RootElement);
    }

    private static object? ToTree(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = ToTree(property.Value);
                }

                return map;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(ToTree(item));
                }

                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var whole) ? whole : (object)element.GetDecimal();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
