using System;
using System.Collections.Generic;
using System.Linq;

namespace InvoiceTools.Sandbox;

/// <summary>One provider's emulated API, mounted under <c>/{Name}</c>.</summary>
public abstract class SandboxApi
{
    /// <summary>The first path segment this API is served under.</summary>
    public abstract string Name { get; }

    /// <summary>The key this API accepts.</summary>
    public abstract string AcceptedKey { get; }

    /// <summary>The account settings its data belongs to, as a client connects with them (Revere's GroupId, Kitchen's Workspace).</summary>
    public virtual IReadOnlyDictionary<string, string> AccountSettings { get; } = new Dictionary<string, string>();

    /// <summary>Answers a request whose path, with the <c>/{Name}</c> prefix removed, is <paramref name="localPath"/>.</summary>
    public abstract SandboxResponse Handle(SandboxRequest request, string localPath);

    /// <summary>The earlier of two times: a payment is never dated after the sandbox's today.</summary>
    public static DateTimeOffset Earlier(DateTimeOffset time, DateTimeOffset today) => time < today ? time : today;

    /// <summary>Creates <paramref name="count"/> invoices newer than any other, as if they were issued while a client was paging; returns their ids.</summary>
    public abstract IReadOnlyList<string> AddNewest(int count);

    /// <summary>Deletes the <paramref name="count"/> newest invoices, as if they were removed while a client was paging; returns their ids.</summary>
    public abstract IReadOnlyList<string> RemoveNewest(int count);

    /// <summary>Removes the first <paramref name="count"/> records of a newest-first list and returns their ids.</summary>
    internal static IReadOnlyList<string> RemoveFirst<T>(List<T> newestFirst, int count, Func<T, string> id)
    {
        var removed = newestFirst.Take(count).Select(id).ToList();
        newestFirst.RemoveRange(0, removed.Count);
        return removed;
    }
}
