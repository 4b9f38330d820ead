namespace RecordingFunctions.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding RecordingFunctions.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RecordingFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("RecordingFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
