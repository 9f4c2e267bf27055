using System;
using System.Net;
using System.Net.Http;
using System.Text;

namespace InvoiceTools.Http;

/// <summary>
/// Answers that mean "the API key was not accepted" without saying 401. Laravel apps whose API routes sit behind a
/// web guard redirect an unauthenticated request to their login page (302 to /login), or, when the app has no such
/// page, fail with 500 "Route [login] not defined." Neither is an outage or a wrong address: it is the key.
/// </summary>
internal static class AuthenticationSignals
{
    private static readonly string[] LoginPathEnds = { "/login", "/signin", "/sign-in", "/auth/login", "/users/sign_in" };

    /// <summary>True for a redirect to a login page, on any host: an API never redirects a good request there.</summary>
    public static bool IsLoginRedirect(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is < 300 or >= 400 || response.Headers.Location is not { } location)
        {
            return false;
        }

        var path = (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?', '#')[0]).TrimEnd('/');
        foreach (var end in LoginPathEnds)
        {
            if (path.EndsWith(end, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for Laravel's 500 when the auth middleware looked for a login route that does not exist.</summary>
    public static bool IsMissingLoginRoute(HttpResponseMessage response, ReadOnlySpan<byte> body) =>
        response.StatusCode == HttpStatusCode.InternalServerError
        && body.Length is > 0 and < 64 * 1024
        && Encoding.UTF8.GetString(body.ToArray()).IndexOf("Route [login] not defined", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>True for the same 500 on a response the retry handler already buffered.</summary>
    public static bool IsMissingLoginRoute(HttpResponseMessage response) =>
        response.Content is BufferedContent buffered && IsMissingLoginRoute(response, buffered.Body.Span);
}
