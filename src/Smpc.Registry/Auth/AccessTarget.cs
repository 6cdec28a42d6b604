namespace Smpc.Registry.Auth;

/// <summary>Where an organisation-scoped study action finds its target organisation.</summary>
public enum AccessTarget
{
    None,
    /// <summary>The owner of the dataset named by the route's <c>datasetId</c>.</summary>
    Dataset,
    /// <summary>The organisation named by the route's <c>organisationId</c>.</summary>
    Organisation,
}
