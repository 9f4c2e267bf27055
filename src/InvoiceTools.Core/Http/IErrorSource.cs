namespace InvoiceTools.Http;

/// <summary>
/// What <see cref="ErrorMapper"/> needs of a provider to describe a failure: who it is and how it words an error body.
/// The provider implements it, so HTTP stays below the providers.
/// </summary>
internal interface IErrorSource
{
    /// <summary>The provider, stamped on the exception.</summary>
    InvoiceProviderKind Kind { get; }

    /// <summary>The provider's name in messages ("Xendit").</summary>
    string DisplayName { get; }

    /// <summary>The provider's error body read into code, message and details; <see cref="ProviderError.None"/> when unreadable. Never throws.</summary>
    ProviderError ParseError(byte[] body);
}
