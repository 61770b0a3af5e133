using AwsLogin.Engine.Sts;
using Xunit;

namespace AwsLogin.Engine.Tests.Sts;

public sealed class RoleArnTests
{
    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/Admin", "aws", "123456789012", "/", "Admin")]
    [InlineData("arn:aws-us-gov:iam::123456789012:role/Admin", "aws-us-gov", "123456789012", "/", "Admin")]
    [InlineData("arn:aws-cn:iam::123456789012:role/Admin", "aws-cn", "123456789012", "/", "Admin")]
    [InlineData("arn:aws:iam::123456789012:role/path/Admin", "aws", "123456789012", "/path/", "Admin")]
    [InlineData("arn:aws:iam::123456789012:role/a/b/c/Admin", "aws", "123456789012", "/a/b/c/", "Admin")]
    [InlineData("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef", "aws", "123456789012", "/aws-reserved/sso.amazonaws.com/eu-west-1/", "AWSReservedSSO_Admin_0123456789abcdef")]
    [InlineData("arn:aws:iam::000000000000:role/with+=,.@-_chars", "aws", "000000000000", "/", "with+=,.@-_chars")]
    public void Valid_role_arns_parse_into_their_parts(string text, string partition, string account, string path, string name)
    {
        var arn = RoleArn.Parse(text);

        Assert.Equal(text, arn.Value);
        Assert.Equal(partition, arn.Partition.Id);
        Assert.Equal(account, arn.AccountId);
        Assert.Equal(path, arn.Path);
        Assert.Equal(name, arn.RoleName);
        Assert.Equal(text, arn.ToString());
    }

    [Theory]
    [InlineData("  arn:aws:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:iam::123456789012:role/Admin \t")]
    [InlineData("\narn:aws:iam::123456789012:role/Admin\r\n")]
    public void Surrounding_whitespace_is_trimmed(string text)
    {
        Assert.True(RoleArn.TryParse(text, out var arn));

        Assert.Equal("arn:aws:iam::123456789012:role/Admin", arn!.Value);
    }

    [Fact]
    public void A_64_character_name_is_the_longest_allowed()
    {
        Assert.True(RoleArn.TryParse("arn:aws:iam::123456789012:role/" + new string('r', 64), out _));
        Assert.False(RoleArn.TryParse("arn:aws:iam::123456789012:role/" + new string('r', 65), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Admin")]
    [InlineData("arn:aws:iam::12345678901:role/Admin")]
    [InlineData("arn:aws:iam::1234567890123:role/Admin")]
    [InlineData("arn:aws:iam::12345678901a:role/Admin")]
    [InlineData("arn:aws:iam::123456789O12:role/Admin")]
    [InlineData("arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/Admin")]
    [InlineData("arn:aws:iam:us-east-1:123456789012:role/Admin")]
    [InlineData("arn:aws:iam::123456789012:user/Admin")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/Admin/session")]
    [InlineData("arn:aws:iam::123456789012:role/")]
    [InlineData("arn:aws:iam::123456789012:role")]
    [InlineData("arn:aws:iam::123456789012:role/path/")]
    [InlineData("arn:aws:iam::123456789012:role/Ad min")]
    [InlineData("arn:aws:iam::123456789012:role/Admin*")]
    [InlineData("arn:aws-iso:iam::123456789012:role/Admin")]
    [InlineData("arn:AWS:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:IAM::123456789012:role/Admin")]
    [InlineData("ARN:aws:iam::123456789012:role/Admin")]
    [InlineData("arn:aws:iam::123456789012:role/Admin\narn:aws:iam::123456789012:role/Other")]
    [InlineData("arn:aws:iam::123456789012:role/Ädmin")]
    [InlineData("arn:aws:iam::123456789012:role/Admin\u00A0x")]
    public void Anything_else_is_not_a_role_arn(string? text)
    {
        Assert.False(RoleArn.TryParse(text, out var arn));
        Assert.Null(arn);
    }

    [Fact]
    public void Parse_of_a_bad_arn_throws_InvalidRoleArn_with_the_text_as_target()
    {
        var exception = Assert.Throws<AwsLoginException>(() => RoleArn.Parse("arn:aws:iam::123:role/Admin"));

        Assert.Equal("InvalidRoleArn", exception.Code);
        Assert.Equal(FailureKind.InvalidArgument, exception.Kind);
        Assert.Equal("arn:aws:iam::123:role/Admin", exception.Target);
        Assert.NotNull(exception.RecommendedAction);
    }

    [Fact]
    public void Parse_of_null_throws_InvalidRoleArn()
    {
        Assert.Equal("InvalidRoleArn", Assert.Throws<AwsLoginException>(() => RoleArn.Parse(null)).Code);
    }

    [Theory]
    [InlineData(null, "aws")]
    [InlineData("us-east-1", "aws")]
    [InlineData("eu-west-1", "aws")]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("cn-northwest-1", "aws-cn")]
    [InlineData("CN-NORTH-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("us-gov-east-1", "aws-us-gov")]
    [InlineData("us-govcloud", "aws")]
    [InlineData("", "aws")]
    public void FromRegion_maps_region_prefixes_to_partitions(string? region, string partition)
    {
        Assert.Equal(partition, AwsPartition.FromRegion(region).Id);
    }

    [Theory]
    [InlineData("aws", "us-east-1", "signin.aws.amazon.com")]
    [InlineData("aws-us-gov", "us-gov-west-1", "signin.amazonaws-us-gov.com")]
    [InlineData("aws-cn", "cn-north-1", "signin.amazonaws.cn")]
    public void FromId_knows_each_partition_default_region_and_sign_in_host(string id, string defaultRegion, string signInHost)
    {
        var partition = AwsPartition.FromId(id);

        Assert.NotNull(partition);
        Assert.Equal(id, partition.Id);
        Assert.Equal(id, partition.ToString());
        Assert.Equal(defaultRegion, partition.DefaultRegion);
        Assert.Equal(signInHost, partition.SignInHost);
        Assert.Same(partition, AwsPartition.FromRegion(defaultRegion));
    }

    [Theory]
    [InlineData("aws-iso")]
    [InlineData("AWS")]
    [InlineData("")]
    public void FromId_of_an_unknown_partition_is_null(string id)
    {
        Assert.Null(AwsPartition.FromId(id));
    }
}
