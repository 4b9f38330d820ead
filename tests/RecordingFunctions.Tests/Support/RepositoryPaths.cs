namespace RecordingFunctions.Tests.Support;

public static class RepositoryPaths
{
    /// <summary>The folder holding RecordingFunctions.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration these tests were built in (Release or Debug), for the projects they run.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RecordingFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("RecordingFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
