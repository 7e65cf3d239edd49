using Orchestrator.Api.Hosting;

// Orchestrator.Api: the Kubernetes-compatible API server. See DESIGN.md for the command line.
ServerOptions options;
try
{
    options = ServerOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var app = ApiServer.Build(options);
await app.Services.GetRequiredService<ApiServerStartup>().RunBeforeServingAsync(CancellationToken.None);
await app.RunAsync();
return 0;
