namespace InvoiceTools.Engine;

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
/// A set of 64-bit id hashes in one open-addressed array: 8 to 16 bytes per id, where HashSet&lt;ulong&gt; takes
/// about 27 (measured: 26.6 MB per million), which would use most of the memory budget of a million-invoice run
/// (docs/performance.md).
/// </summary>
internal sealed class IdHashSet
{
    private ulong[] _slots = new ulong[1024];
    private int _count;

    /// <summary>How many hashes the set holds.</summary>
    public int Count => _count;

    /// <summary>Adds <paramref name="hash"/>; false when it was already there.</summary>
    public bool Add(ulong hash)
    {
        // 0 marks an empty slot, so the one hash that is 0 is stored as 1 (a collision of 1 in 2^64).
        hash = hash == 0 ? 1 : hash;
        if ((_count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }

        if (!Insert(_slots, hash))
        {
            return false;
        }

        _count++;
        return true;
    }

    private static bool Insert(ulong[] slots, ulong hash)
    {
        var mask = slots.Length - 1;
        for (var i = (int)(hash ^ (hash >> 32)) & mask; ; i = (i + 1) & mask)
        {
            if (slots[i] == 0)
            {
                slots[i] = hash;
                return true;
            }

            if (slots[i] == hash)
            {
                return false;
            }
        }
    }

    private void Grow()
    {
        var larger = new ulong[_slots.Length * 2];
        foreach (var hash in _slots)
        {
            if (hash != 0)
            {
                Insert(larger, hash);
            }
        }

        _slots = larger;
    }
}
