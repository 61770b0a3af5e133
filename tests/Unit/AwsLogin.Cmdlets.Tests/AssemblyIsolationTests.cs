using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>
/// The two-assembly rule: the cmdlets assembly (default load context) references no AWS SDK assembly and
/// exposes no engine or SDK type, so PowerShell never pulls them into the default context.
/// </summary>
public sealed class AssemblyIsolationTests
{
    private static string CmdletsPath => Path.Combine(ModulePathsAttribute.Current.ModuleDirectory, "AwsLogin.Cmdlets.dll");

    [Fact]
    public void CmdletsAssemblyReferencesNoAwsSdkAssembly()
    {
        using var stream = File.OpenRead(CmdletsPath);
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();

        Assert.Contains("AwsLogin.Engine", references);
        Assert.DoesNotContain(references, r => r.StartsWith("AWSSDK", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NoPublicSurfaceNamesAnEngineOrSdkType()
    {
        // A context that cannot find the engine: touching any engine type from the public surface throws. It must
        // refuse the engine itself: falling back to the default context would find it through the resolver that an
        // earlier test's Import-Module registered, and then the check would depend on the order the tests run in.
        var context = new EngineBlindLoadContext();
        try
        {
            var smaPath = typeof(System.Management.Automation.PSCmdlet).Assembly.Location;
            context.Resolving += (ctx, name) => name.Name == "System.Management.Automation" ? ctx.LoadFromAssemblyPath(smaPath) : null;
            var assembly = context.LoadFromAssemblyPath(CmdletsPath);
            var types = assembly.GetExportedTypes();
            Assert.Contains(types, t => t.FullName == "AwsLogin.AwsCredential");

            foreach (var type in types)
            {
                AssertNotEngine(type.BaseType, type.FullName!);
                // Not GetMembers: it loads every nested type, public or not, and private ones (compiler-generated
                // closures, the engine log queue) may use engine types. Public nested types are exported types themselves.
                const BindingFlags Surface = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
                var members = type.GetConstructors(Surface).Cast<MemberInfo>()
                    .Concat(type.GetMethods(Surface))
                    .Concat(type.GetProperties(Surface))
                    .Concat(type.GetFields(Surface))
                    .Concat(type.GetEvents(Surface));
                foreach (var member in members)
                {
                    var where = type.FullName + "." + member.Name;
                    switch (member)
                    {
                        case PropertyInfo property:
                            AssertNotEngine(property.PropertyType, where);
                            break;
                        case FieldInfo field:
                            AssertNotEngine(field.FieldType, where);
                            break;
                        case MethodBase method:
                            foreach (var parameter in method.GetParameters())
                            {
                                AssertNotEngine(parameter.ParameterType, where);
                            }

                            if (method is MethodInfo m)
                            {
                                AssertNotEngine(m.ReturnType, where);
                            }

                            break;
                    }

                    foreach (var attribute in member.GetCustomAttributesData())
                    {
                        AssertNotEngine(attribute.AttributeType, where);
                    }
                }
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class EngineBlindLoadContext : AssemblyLoadContext
    {
        public EngineBlindLoadContext()
            : base("isolation-check", isCollectible: true)
        {
        }

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == "AwsLogin.Engine" || assemblyName.Name?.StartsWith("AWSSDK", StringComparison.Ordinal) == true
                ? throw new FileNotFoundException("The isolation check hides " + assemblyName.Name + ".", assemblyName.Name)
                : null;
    }

    private static void AssertNotEngine(Type? type, string where)
    {
        var assemblyName = type?.Assembly.GetName().Name ?? string.Empty;
        Assert.False(assemblyName == "AwsLogin.Engine" || assemblyName.StartsWith("AWSSDK", StringComparison.Ordinal), $"{where} exposes {type} from {assemblyName}");
    }
}
