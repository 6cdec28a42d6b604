namespace Smpc.Analytics.Statistics;

/// <summary>A query is malformed: unknown column, wrong column kind, missing domain, bad parameter. The message names it.</summary>
public sealed class QueryException(string message) : SmpcException(message);
