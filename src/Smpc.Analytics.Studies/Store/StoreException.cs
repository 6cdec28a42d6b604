namespace Smpc.Analytics.Studies.Store;

/// <summary>A party's store refused an operation or found its contents damaged; the message names the file or rule.</summary>
public sealed class StoreException : SmpcException
{
    public StoreException(string message) : base(message) { }
    public StoreException(string message, Exception inner) : base(message, inner) { }
}
