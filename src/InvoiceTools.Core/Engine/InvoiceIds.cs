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
/// A set of 64-bit id hashes, open-addressed in 64 KB segments, filled to 85 % and grown by half: 9 to 14 bytes per
/// id, where HashSet&lt;ulong&gt; takes about 27 (measured: 26.6 MB per million). Segments stay below the large-object
/// threshold, so the arrays left behind when the table grows are compacted away instead of keeping the working set
/// up (docs/performance.md has the memory figure of a million-invoice run).
/// </summary>
internal sealed class IdHashSet
{
    private const int SegmentBits = 13;
    private const int SegmentSize = 1 << SegmentBits;
    private ulong[][] _segments = NewTable(SegmentSize);
    private long _capacity = SegmentSize;
    private long _count;

    /// <summary>How many hashes the set holds.</summary>
    public long Count => _count;

    /// <summary>Adds <paramref name="hash"/>; false when it was already there.</summary>
    public bool Add(ulong hash)
    {
        // 0 marks an empty slot, so the one hash that is 0 is stored as 1 (a collision of 1 in 2^64).
        hash = hash == 0 ? 1 : hash;
        if ((_count + 1) * 20 > _capacity * 17)
        {
            Grow();
        }

        if (!Insert(_segments, _capacity, hash))
        {
            return false;
        }

        _count++;
        return true;
    }

    private static ulong[][] NewTable(long capacity)
    {
        var segments = new ulong[capacity / SegmentSize][];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = new ulong[SegmentSize];
        }

        return segments;
    }

    private static bool Insert(ulong[][] segments, long capacity, ulong hash)
    {
        for (var i = (long)(hash % (ulong)capacity); ; i = i + 1 == capacity ? 0 : i + 1)
        {
            ref var slot = ref segments[i >> SegmentBits][i & (SegmentSize - 1)];
            if (slot == 0)
            {
                slot = hash;
                return true;
            }

            if (slot == hash)
            {
                return false;
            }
        }
    }

    private void Grow()
    {
        var capacity = (_capacity / SegmentSize * 3 + 1) / 2 * SegmentSize;
        var larger = NewTable(capacity);
        foreach (var segment in _segments)
        {
            foreach (var hash in segment)
            {
                if (hash != 0)
                {
                    Insert(larger, capacity, hash);
                }
            }
        }

        _segments = larger;
        _capacity = capacity;
    }
}
