using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace InvoiceTools.Sandbox;

/// <summary>
/// The emulator: one instance serves every provider API under its own first path segment
/// (<c>/revere/api/v1/...</c>). Transports (the in-process handler, the loopback host) call
/// <see cref="HandleAsync"/>; the emulator records every request so tests can assert the exact queries sent.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The data lock lives as long as the emulator; a ReaderWriterLockSlim left to the finalizer releases nothing a process would miss.")]
public sealed class InvoiceSandbox
{
    private readonly object _mountLock = new();
    private readonly HashSet<string> _mounted = new(StringComparer.OrdinalIgnoreCase);

    // Replaced, never changed, by Mount: requests read it without a lock.
    private volatile Dictionary<string, SandboxApi> _apis;
    private readonly ConcurrentQueue<SandboxRequest> _requests = new();
    private readonly object _faultLock = new();
    private readonly List<ScheduledFault> _faults = new();
    private readonly ConcurrentDictionary<string, SandboxResponse> _answers = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _data = new(LockRecursionPolicy.SupportsRecursion);
    private int _inFlight;

    /// <summary>Creates an emulator with every provider's default data set.</summary>
    public InvoiceSandbox(SandboxOptions? options = null)
    {
        Options = options ?? new SandboxOptions();
        var xendit = new XenditStore(Options);
        _apis = new Dictionary<string, SandboxApi>(StringComparer.OrdinalIgnoreCase)
        {
            [RevereApi.ApiName] = new RevereApi(Options),
            [KitchenApi.ApiName] = new KitchenApi(Options),
            [OpteriusApi.ApiName] = new OpteriusApi(Options),
            [Revolv3Api.ApiName] = new Revolv3Api(Options),
            [XenditApi.DirectApiName] = new XenditApi(xendit, proxy: false),
            [XenditApi.ProxyApiName] = new XenditApi(xendit, proxy: true),
        };
    }

    /// <summary>Options: data size, latency and real-API variants.</summary>
    public SandboxOptions Options { get; }

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<SandboxRequest> Requests => _requests.ToArray();

    /// <summary>The provider path prefixes this emulator serves.</summary>
    public IReadOnlyCollection<string> ApiNames => _apis.Keys;

    /// <summary>The API served under <paramref name="name"/>, or null.</summary>
    public SandboxApi? Api(string name) => name is not null && _apis.TryGetValue(name, out var api) ? api : null;

    /// <summary>
    /// Serves <paramref name="api"/> under <c>/{api.Name}</c> from now on (a provider definition's rehearsal: a
    /// <see cref="DefinedApi"/>). Throws <see cref="ArgumentException"/> when the name is not one path segment or is
    /// already served. Safe while requests are answered: each request sees the APIs before or after the mount.
    /// </summary>
    public void Mount(SandboxApi api)
    {
        if (api is null)
        {
            throw new ArgumentNullException(nameof(api));
        }

        var name = api.Name;
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(new[] { '/', '?', '#', ' ', '\\' }) >= 0)
        {
            throw new ArgumentException($"A sandbox API's name must be one path segment; '{name}' is not.", nameof(api));
        }

        lock (_mountLock)
        {
            if (_apis.ContainsKey(name))
            {
                throw new ArgumentException($"The sandbox already serves an API at '/{name}'.", nameof(api));
            }

            _apis = new Dictionary<string, SandboxApi>(_apis, StringComparer.OrdinalIgnoreCase) { [name] = api };
            _mounted.Add(name);
            _answers.Clear();
        }
    }

    /// <summary>
    /// Stops serving the API mounted under <paramref name="name"/> (so a changed definition can be mounted again); false
    /// when no API was mounted under that name. The built-in providers cannot be unmounted.
    /// </summary>
    public bool Unmount(string name)
    {
        lock (_mountLock)
        {
            if (name is null || !_mounted.Remove(name))
            {
                return false;
            }

            var apis = new Dictionary<string, SandboxApi>(_apis, StringComparer.OrdinalIgnoreCase);
            apis.Remove(name);
            _apis = apis;
            _answers.Clear();
            return true;
        }
    }

    /// <summary>
    /// Null when the fault <paramref name="kind"/> can happen on the API served under <paramref name="apiName"/>;
    /// otherwise why not. Unlike <see cref="SandboxFaultMatrix.WhyNotFor(SandboxFaultKind, string)"/>, it knows mounted APIs.
    /// </summary>
    public string? WhyNotFault(SandboxFaultKind kind, string apiName) =>
        Api(apiName) is { } api ? SandboxFaultMatrix.WhyNotFor(kind, api) : SandboxFaultMatrix.WhyNotFor(kind, apiName);

    /// <summary>The Revere Payments emulator.</summary>
    public RevereApi Revere => (RevereApi)_apis[RevereApi.ApiName];

    /// <summary>The Revolv3 emulator.</summary>
    public Revolv3Api Revolv3 => (Revolv3Api)_apis[Revolv3Api.ApiName];

    /// <summary>The Opterius Commerce emulator.</summary>
    public OpteriusApi Opterius => (OpteriusApi)_apis[OpteriusApi.ApiName];

    /// <summary>The Kitchen emulator.</summary>
    public KitchenApi Kitchen => (KitchenApi)_apis[KitchenApi.ApiName];

    /// <summary>The Xendit emulator, direct route (<c>/xendit/v2/invoices</c>).</summary>
    public XenditApi Xendit => (XenditApi)_apis[XenditApi.DirectApiName];

    /// <summary>The Xendit emulator behind the Appgregator proxy route (<c>/appgregator/xendit/invoices/</c>).</summary>
    public XenditApi Appgregator => (XenditApi)_apis[XenditApi.ProxyApiName];

    /// <summary>Requests received and not yet answered (or abandoned by the client).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Runs for every request after the latency and before the answer, so tests and rehearsals can change the data
    /// while a client is paging (add or remove invoices between two pages).
    /// </summary>
    public Action<SandboxRequest>? BeforeAnswer { get; set; }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests()
    {
        while (_requests.TryDequeue(out _))
        {
        }
    }

    /// <summary>
    /// Makes <paramref name="times"/> requests (optionally only those for one API) fail with <paramref name="fault"/>, after
    /// <paramref name="afterRequests"/> matching requests have been answered normally. Faults queue: the next one starts
    /// when the previous one is used up.
    /// </summary>
    public void InjectFault(SandboxFault fault, int times = 1, string? api = null, int afterRequests = 0)
    {
        if (fault is null)
        {
            throw new ArgumentNullException(nameof(fault));
        }

        if (times < 1 || afterRequests < 0)
        {
            throw new ArgumentOutOfRangeException(times < 1 ? nameof(times) : nameof(afterRequests), "A fault answers at least one request, after zero or more normal ones.");
        }

        lock (_faultLock)
        {
            _faults.Add(new ScheduledFault(fault, times, api, afterRequests));
        }
    }

    /// <summary>Drops every fault not yet used.</summary>
    public void ClearFaults()
    {
        lock (_faultLock)
        {
            _faults.Clear();
        }
    }

    /// <summary>Injects one of the named faults of the reliability matrix (see <see cref="SandboxFaultMatrix"/>).</summary>
    public void InjectFault(SandboxFaultKind kind, int times = 1, string? api = null, int afterRequests = 0)
    {
        if (api is not null && WhyNotFault(kind, api) is { } reason)
        {
            throw new ArgumentException(reason, nameof(kind));
        }

        InjectFault(SandboxFaultMatrix.Create(kind), times, api, afterRequests);
    }

    /// <summary>Answers one request.</summary>
    public async Task<SandboxResponse> HandleAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        _requests.Enqueue(request);
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (Options.Latency > TimeSpan.Zero)
            {
                await Task.Delay(Options.Latency, cancellationToken).ConfigureAwait(false);
            }

            if (BeforeAnswer is { } before)
            {
                _data.EnterWriteLock();
                try
                {
                    before(request);
                }
                finally
                {
                    _data.ExitWriteLock();
                }
            }
            if (!Options.CacheAnswers)
            {
                return Answer(request);
            }

            if (HasFault())
            {
                return Answer(request);
            }

            var key = request.CacheKey;
            if (_answers.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var answer = Answer(request);
            if (answer.StatusCode == 200 && !HasFault())
            {
                _answers[key] = answer;
            }

            return answer;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private SandboxResponse Answer(SandboxRequest request)
    {
        var segments = request.Path.TrimStart('/').Split(new[] { '/' }, 2);
        var apis = _apis;
        if (!apis.TryGetValue(segments[0], out var api))
        {
            return SandboxResponse.JsonObject(404, ("error", "No sandbox API at '/" + segments[0] + "'. Known: " + string.Join(", ", apis.Keys.Select(k => "/" + k))));
        }

        var fault = TakeFault(api.Name);
        if (fault is null)
        {
            return Read(() => api.Handle(request, LocalPath(request)));
        }

        var context = new SandboxFaultContext(request, PreviousRequest(request, api.Name), api, Options.Clock(), r => api.Handle(r, LocalPath(r)));
        _data.EnterWriteLock();
        try
        {
            fault.Prepare(context);
        }
        finally
        {
            _data.ExitWriteLock();
        }

        return Read(() => fault.Apply(context));
    }

    private static string LocalPath(SandboxRequest request)
    {
        var segments = request.Path.TrimStart('/').Split(new[] { '/' }, 2);
        return "/" + (segments.Length > 1 ? segments[1] : string.Empty);
    }

    private static string ApiOf(SandboxRequest request) => request.Path.TrimStart('/').Split(new[] { '/' }, 2)[0];

    private SandboxResponse Read(Func<SandboxResponse> answer)
    {
        _data.EnterReadLock();
        try
        {
            return answer();
        }
        finally
        {
            _data.ExitReadLock();
        }
    }

    private SandboxRequest? PreviousRequest(SandboxRequest request, string apiName)
    {
        SandboxRequest? previous = null;
        foreach (var earlier in _requests)
        {
            if (ReferenceEquals(earlier, request))
            {
                break;
            }

            if (string.Equals(ApiOf(earlier), apiName, StringComparison.OrdinalIgnoreCase))
            {
                previous = earlier;
            }
        }

        return previous;
    }

    private bool HasFault()
    {
        lock (_faultLock)
        {
            return _faults.Count > 0;
        }
    }

    private SandboxFault? TakeFault(string apiName)
    {
        lock (_faultLock)
        {
            var scheduled = _faults.FirstOrDefault(f => f.Api is null || string.Equals(f.Api, apiName, StringComparison.OrdinalIgnoreCase));
            if (scheduled is null)
            {
                return null;
            }

            if (scheduled.Skip > 0)
            {
                scheduled.Skip--;
                return null;
            }

            if (--scheduled.Remaining <= 0)
            {
                _faults.Remove(scheduled);
            }

            return scheduled.Fault;
        }
    }

    private sealed class ScheduledFault
    {
        public ScheduledFault(SandboxFault fault, int remaining, string? api, int skip)
        {
            Fault = fault;
            Remaining = remaining;
            Api = api;
            Skip = skip;
        }

        public int Skip { get; set; }

        public SandboxFault Fault { get; }

        public int Remaining { get; set; }

        public string? Api { get; }
    }
}
