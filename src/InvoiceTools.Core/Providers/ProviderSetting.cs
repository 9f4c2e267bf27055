using System;
using InvoiceTools.Requests;

namespace InvoiceTools.Providers;

/// <summary>
/// A connection setting only some providers take, declared once in its provider's folder: its
/// Connect-InvoiceProvider parameter (also its key in a settings row), its type, how a row's value is stored in
/// <see cref="ConnectionOptions"/>, and where its text goes in a request when it goes into one. The providers that
/// list it own it; the connection settings reader and the connection factory (InvoiceTools.Connections) read these.
/// </summary>
internal sealed class ProviderSetting
{
    private readonly Action<ConnectionOptions, object, string> _apply;

    private ProviderSetting(string name, Type type, Action<ConnectionOptions, object, string> apply, Func<ConnectionOptions, string?>? text, string? goesInto, bool header)
    {
        Name = name;
        Type = type;
        _apply = apply;
        Text = text;
        GoesInto = goesInto;
        Header = header;
    }

    /// <summary>The parameter and settings-row key (GroupId, Gateway, ...).</summary>
    public string Name { get; }

    /// <summary>The value's type: string, or the enum the parameter takes.</summary>
    public Type Type { get; }

    /// <summary>The setting's text as given, for settings written into requests; null for the others.</summary>
    public Func<ConnectionOptions, string?>? Text { get; }

    /// <summary>Where the text goes in a request (the request path, the for-user-id header, ...); null when it goes nowhere as given.</summary>
    public string? GoesInto { get; }

    /// <summary>True when it goes into a header, which takes printable ASCII only.</summary>
    public bool Header { get; }

    /// <summary>The currency to assume where invoices name none (Revere's never do, Revolv3's often do not).</summary>
    public static ProviderSetting Currency { get; } = Of("Currency", o => o.Currency, (o, v) => o.Currency = v);

    /// <summary>A text setting that does not go into requests as given.</summary>
    public static ProviderSetting Of(string name, Func<ConnectionOptions, string?> get, Action<ConnectionOptions, string> set) =>
        new(name, typeof(string), (o, v, n) => set(o, SettingValues.ToText(v, n)), get, null, false);

    /// <summary>A text setting written into <paramref name="goesInto"/> of every request (checked for characters that could change it).</summary>
    public static ProviderSetting Wire(string name, Func<ConnectionOptions, string?> get, Action<ConnectionOptions, string> set, string goesInto, bool header = false) =>
        new(name, typeof(string), (o, v, n) => set(o, SettingValues.ToText(v, n)), get, goesInto, header);

    /// <summary>A setting that takes one of <typeparamref name="T"/>'s names.</summary>
    public static ProviderSetting Choice<T>(string name, Action<ConnectionOptions, T> set)
        where T : struct, Enum =>
        new(name, typeof(T), (o, v, n) => set(o, SettingValues.ToEnum<T>(v, n)), null, null, false);

    /// <summary>Stores a settings row's <paramref name="value"/> (under the key <paramref name="key"/>) in <paramref name="options"/>.</summary>
    /// <exception cref="InvoiceConfigurationException">The value cannot be read as the setting's type.</exception>
    public void Apply(ConnectionOptions options, object value, string key) => _apply(options, value, key);
}
