using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Images;

public static class ImagesServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="ImageManager"/> as the singleton <see cref="IImageManager"/> (it needs <see cref="DockerClient"/>,
    /// <see cref="IKubeClient"/> and <see cref="TimeProvider"/> from DI). Options passed here are registered; without
    /// them the defaults are added unless options are registered already.
    /// </summary>
    public static IServiceCollection AddImageManager(this IServiceCollection s, ImageManagerOptions? options = null)
    {
        if (options is not null) s.AddSingleton(options);
        else s.TryAddSingleton(new ImageManagerOptions());
        s.AddSingleton(sp => new ImageManager(sp.GetRequiredService<DockerClient>(), sp.GetRequiredService<IKubeClient>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ImageManager>>(),
            sp.GetRequiredService<ImageManagerOptions>()));
        s.AddSingleton<IImageManager>(sp => sp.GetRequiredService<ImageManager>());
        return s;
    }
}
