namespace Orchestrator.Tests.Api.Protobuf;

/// <summary>Access to the captured kubectl bodies in Golden/ (see Golden/README.md for how each was produced).</summary>
internal static class GoldenBodies
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Api", "Protobuf", "Golden");

    public static IEnumerable<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.pb").Select(Path.GetFileNameWithoutExtension).Order().Cast<string>();

    public static byte[] Body(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".pb"));

    public static string ExpectedJson(string name) => File.ReadAllText(Path.Combine(Directory, name + ".json"));
}
