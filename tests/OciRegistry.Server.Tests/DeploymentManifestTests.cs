using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace OciRegistry.Server.Tests;

/// <summary>
/// deploy/kubernetes and deploy/helm/oci-registry, checked without a cluster: every manifest parses, the pod runs
/// non-root on a read-only root filesystem with requests, probes use the server's separate liveness and readiness
/// endpoints, data, htpasswd and certificate are mounted where the server's configuration points, and every value the
/// chart's templates use is defined in values.yaml.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "deploy");

    [Fact]
    public void PlainManifests_Parse_AndDefineConfigServicesAndStatefulSet()
    {
        var kinds = PlainDocuments().Select(d => Scalar(d, "kind")).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["ConfigMap", "Service", "Service", "StatefulSet"], kinds);
    }

    [Fact]
    public void StatefulSet_RunsHardened_WithProbesOnSeparateEndpoints()
    {
        var pod = Map(Map(StatefulSet(), "spec", "template"), "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Children.Single();

        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        Assert.NotEqual("0", Scalar(pod, "securityContext", "runAsUser"));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.NotNull(Scalar(container, "resources", "requests", "cpu"));
        Assert.NotNull(Scalar(container, "resources", "requests", "memory"));
        Assert.Equal("/livez", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/readyz", Scalar(container, "readinessProbe", "httpGet", "path"));
    }

    [Fact]
    public void ServerConfiguration_PointsIntoTheMountedVolumeAndSecrets()
    {
        var statefulSet = StatefulSet();
        var pod = Map(Map(statefulSet, "spec", "template"), "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Children.Single();
        var mounts = ((YamlSequenceNode)container["volumeMounts"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(m => Scalar(m, "name")!, m => Scalar(m, "mountPath")!);
        var volumes = ((YamlSequenceNode)pod["volumes"]).Children.Cast<YamlMappingNode>().ToDictionary(v => Scalar(v, "name")!);
        var claim = (YamlMappingNode)((YamlSequenceNode)Map(statefulSet, "spec")["volumeClaimTemplates"]).Children.Single();
        var configMap = PlainDocuments().Single(d => Scalar(d, "kind") == "ConfigMap");
        using var settings = JsonDocument.Parse(Scalar(configMap, "data", "appsettings.json")!);
        var registry = settings.RootElement.GetProperty("OciRegistry");
        var certificate = settings.RootElement.GetProperty("Kestrel").GetProperty("Certificates").GetProperty("Default");

        Assert.Equal(mounts[Scalar(claim, "metadata", "name")!], registry.GetProperty("Storage").GetProperty("RootPath").GetString());
        Assert.Equal(Scalar(container, "workingDir") + "/appsettings.json", mounts["config"]);
        Assert.Equal(mounts["auth"] + "/htpasswd", registry.GetProperty("Auth").GetProperty("Basic").GetProperty("HtpasswdPath").GetString());
        Assert.NotNull(Scalar(volumes["auth"], "secret", "secretName"));
        Assert.Equal(mounts["tls"] + "/tls.crt", certificate.GetProperty("Path").GetString());
        Assert.Equal(mounts["tls"] + "/tls.key", certificate.GetProperty("KeyPath").GetString());
        Assert.NotNull(Scalar(volumes["tls"], "secret", "secretName"));
        Assert.NotEmpty(registry.GetProperty("Auth").GetProperty("Access").EnumerateArray());
    }

    [Fact]
    public void HelmChart_DefinesEveryValueItsTemplatesUse()
    {
        var chart = Path.Combine(Deploy, "helm", "oci-registry");
        var values = (YamlMappingNode)Load(Path.Combine(chart, "values.yaml")).Single();
        var used = Directory.EnumerateFiles(Path.Combine(chart, "templates"))
            .SelectMany(file => ValueReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.Equal("v2", Scalar((YamlMappingNode)Load(Path.Combine(chart, "Chart.yaml")).Single(), "apiVersion"));
        Assert.NotEmpty(used);
        Assert.All(used, path => Assert.True(Defines(values, path.Split('.')), $".Values.{path} is not in values.yaml"));
    }

    private static bool Defines(YamlMappingNode values, string[] path)
    {
        YamlNode node = values;
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return false;
            }

            node = child;
        }

        return true;
    }

    private static IEnumerable<YamlMappingNode> PlainDocuments() =>
        Directory.EnumerateFiles(Path.Combine(Deploy, "kubernetes"), "*.yaml").SelectMany(Load).Cast<YamlMappingNode>();

    private static YamlMappingNode StatefulSet() => PlainDocuments().Single(d => Scalar(d, "kind") == "StatefulSet");

    private static IEnumerable<YamlNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode);
    }

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => (YamlMappingNode)current[key]);

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            current = child;
        }

        return (current as YamlScalarNode)?.Value;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "OciRegistry.Core.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("OciRegistry.Core.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_.]+)")]
    private static partial Regex ValueReference();
}
