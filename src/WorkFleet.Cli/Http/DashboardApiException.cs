namespace WorkFleet.Cli.Http;

/// <summary>A dispatcher's API could not be read; the message says why and what to fix, ready to print.</summary>
public sealed class DashboardApiException : Exception
{
    /// <summary>An exception without a message.</summary>
    public DashboardApiException()
    {
    }

    /// <summary>An exception with <paramref name="message"/>.</summary>
    public DashboardApiException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public DashboardApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
