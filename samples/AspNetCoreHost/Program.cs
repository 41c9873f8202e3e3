using AspNetCoreHost;

await SampleApp.Build(args).RunAsync();
