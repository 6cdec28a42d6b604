using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Smpc.Analytics.Interactive.Tests.Kernel;

/// <summary>A real CompositeKernel with a C# kernel, as the notebook hosts build it, with the extension loaded.</summary>
internal static class TestKernel
{
    /// <summary>The kernel plus the references a notebook's <c>#r "nuget: Smpc.Analytics.Interactive"</c> adds.</summary>
    public static CompositeKernel Create(bool loadExtension = true)
    {
        var kernel = CreateBare(loadExtension);
        foreach (var assembly in new[] { typeof(SecureAnalyticsExtension).Assembly, typeof(Smpc.Analytics.Engine.SecureEngine).Assembly,
                                         typeof(Smpc.Analytics.Studies.SecureStudy).Assembly, typeof(Microsoft.Data.Analysis.DataFrame).Assembly })
            kernel.Run($"#r \"{assembly.Location}\"").GetAwaiter().GetResult().ShouldSucceed();
        return kernel;
    }

    public static CompositeKernel CreateBare(bool loadExtension = true)
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((k, refs) => { k.AddAssemblyReferences(refs.SelectMany(r => r.AssemblyPaths)); return Task.CompletedTask; })
            .UseKernelHelpers()
            .UseValueSharing();
        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = "csharp";
        if (loadExtension) SecureAnalyticsExtension.Load(kernel, announce: false);
        return kernel;
    }

    public static async Task<KernelCommandResult> Run(this CompositeKernel kernel, string code) => await kernel.SubmitCodeAsync(code);

    public static IReadOnlyList<string> Html(this KernelCommandResult result) =>
        result.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Where(v => v.MimeType == HtmlFormatter.MimeType).Select(v => v.Value).ToArray();

    public static IReadOnlyList<FormattedValue> Formatted(this KernelCommandResult result, string mimeType) =>
        result.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues).Where(v => v.MimeType == mimeType).ToArray();

    public static string? Failure(this KernelCommandResult result) => result.Events.OfType<CommandFailed>().FirstOrDefault()?.Message;

    public static void ShouldSucceed(this KernelCommandResult result)
    {
        var failure = result.Failure();
        Assert.True(failure is null, $"the command failed: {failure}");
    }

    public static object? ReturnValue(this KernelCommandResult result) =>
        result.Events.OfType<ReturnValueProduced>().SingleOrDefault()?.Value;
}
