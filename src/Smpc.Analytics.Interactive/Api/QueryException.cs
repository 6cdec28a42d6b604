namespace Smpc.Analytics.Interactive.Api;

/// <summary>A query names something that does not exist or is not allowed (dataset, column, statistic, study,
/// option, data-use rule). The message names the problem; nothing was computed or revealed.</summary>
public sealed class QueryException(string message) : SmpcException(message);
