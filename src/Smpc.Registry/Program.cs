using Smpc.Registry.Hosting;

// `dotnet run --project src/Smpc.Registry [-- --urls URL --data DIR --db CONNECTION --demo --public-url URL]`; the usual entry is
// `smpc registry` with the same options (src/Smpc.Cli).
var options = new RegistryOptions();
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    options = args[i] switch
    {
        "--urls" => options with { Urls = Value() },
        "--data" => options with { DataDirectory = Value() },
        "--db" => options with { Connection = Value() },
        "--demo" => options with { Demo = true },
        "--public-url" => options with { PublicUrl = Value() },
        _ => throw new ArgumentException($"unknown option {args[i]}; use --urls, --data, --db, --demo, --public-url"),
    };
}
return await RegistryLauncher.RunAsync(options, Console.Out);
