// The node agent. Issue 4 fills this host with the Docker runtime, pod sync loop, probes and status;
// issue 5 adds the proxy and DNS. For now it only starts and stops cleanly.
var builder = Host.CreateApplicationBuilder(args);
var host = builder.Build();
host.Run();
