namespace InvoiceTools.Paging;

/// <summary>Compact identities for remembering every invoice of a run.</summary>
internal static class InvoiceIds
{
    /// <summary>
    /// The 64-bit FNV-1a hash of an id's UTF-16 code units. Eight bytes per invoice instead of the id string; two ids of
    /// one run share a hash (and one of them is dropped) with a chance of about 1 in 37 million at a million invoices.
    /// Written here rather than taken from System.IO.Hashing so that no further assembly has to load in both
    /// PowerShell editions for five lines.
    /// </summary>
    public static ulong Hash(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id ?? string.Empty)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}

/// <summary>
/// A set of 64-bit id hashes in 256 small open-addressed tables, chosen by the hash's top byte, each filled to 85 %
/// and grown by half: 9 to 14 bytes per id, where HashSet&lt;ulong&gt; takes about 27 (measured: 26.6 MB per
/// million). Each table stays under the large-object threshold up to a few million ids, so what a table leaves
/// behind when it grows is small and compacted away, and the working set of a million-invoice run stays within its
/// budget (docs/performance.md).
/// </summary>
internal sealed class IdHashSet
{
    private readonly ulong[][] _tables = new ulong[256][];
    private readonly int[] _counts = new int[256];
    private long _count;

    /// <summary>How many hashes the set holds.</summary>
    public long Count => _count;

    /// <summary>Adds <paramref name="hash"/>; false when it was already there.</summary>
    public bool Add(ulong hash)
    {
        // 0 marks an empty slot, so the one hash that is 0 is stored as 1 (a collision of 1 in 2^64).
        hash = hash == 0 ? 1 : hash;
        var which = (int)(hash >> 56);
        var table = _tables[which] ??= new ulong[16];
        if ((_counts[which] + 1) * 20 > table.Length * 17)
        {
            table = _tables[which] = Grow(table);
        }

        if (!Insert(table, hash))
        {
            return false;
        }

        _counts[which]++;
        _count++;
        return true;
    }

    private static bool Insert(ulong[] table, ulong hash)
    {
        var length = (uint)table.Length;
        for (var i = (int)((uint)hash % length); ; i = i + 1 == table.Length ? 0 : i + 1)
        {
            if (table[i] == 0)
            {
                table[i] = hash;
                return true;
            }

            if (table[i] == hash)
            {
                return false;
            }
        }
    }

    private static ulong[] Grow(ulong[] table)
    {
        var larger = new ulong[table.Length + (table.Length / 2)];
        foreach (var hash in table)
        {
            if (hash != 0)
            {
                Insert(larger, hash);
            }
        }

        return larger;
    }
}
