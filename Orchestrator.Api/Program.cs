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

try
{
    var app = ApiServer.Build(options);
    await app.Services.GetRequiredService<ApiServerStartup>().RunBeforeServingAsync(CancellationToken.None);
    await app.RunAsync();
    return 0;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    Console.Error.WriteLine($"cannot listen on {options.Bind}:{options.Port}: the address is already in use (another API server?)");
    return 1;
}
