using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;

namespace Orchestrator.Tests.Core.Labels;

public class LabelSelectorTests
{
    private static Dictionary<string, string> L(string spec) =>
        spec.Length == 0
            ? new()
            : spec.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    [Theory]
    [InlineData("", "")]
    [InlineData("app=web", "app=web")]
    [InlineData("app==web", "app==web")]
    [InlineData("app!=web", "app!=web")]
    [InlineData("env in (prod,devel)", "env in (devel,prod)")]
    [InlineData("env  in(prod , devel)", "env in (devel,prod)")]
    [InlineData("env notin (prod)", "env notin (prod)")]
    [InlineData("tier", "tier")]
    [InlineData("!tier", "!tier")]
    [InlineData(" ! tier ", "!tier")]
    [InlineData("z=1,a=2", "a=2,z=1")]
    [InlineData("app=web,env!=devel", "app=web,env!=devel")]
    [InlineData("env in (a,b),tier,!gpu", "env in (a,b),!gpu,tier")]
    [InlineData("app=", "app=")]
    [InlineData("app=,b=c", "app=,b=c")]
    [InlineData("x in (in,notin)", "x in (in,notin)")]
    [InlineData("example.com/role=db", "example.com/role=db")]
    [InlineData("replicas>3", "replicas>3")]
    [InlineData("replicas<3", "replicas<3")]
    [InlineData("env in ()", "env in ()")]
    public void Parse_Valid_CanonicalString(string input, string expected) =>
        Assert.Equal(expected, LabelSelector.Parse(input).ToString());

    [Theory]
    [InlineData("", "app=web", true)]
    [InlineData("app=web", "app=web,env=prod", true)]
    [InlineData("app=web", "app=api", false)]
    [InlineData("app=web", "", false)]
    [InlineData("app==web", "app=web", true)]
    [InlineData("app!=web", "app=api", true)]
    [InlineData("app!=web", "", true)]
    [InlineData("app!=web", "app=web", false)]
    [InlineData("env in (prod,devel)", "env=devel", true)]
    [InlineData("env in (prod,devel)", "env=qa", false)]
    [InlineData("env in (prod,devel)", "", false)]
    [InlineData("env notin (prod,devel)", "env=qa", true)]
    [InlineData("env notin (prod,devel)", "", true)]
    [InlineData("env notin (prod,devel)", "env=prod", false)]
    [InlineData("tier", "tier=", true)]
    [InlineData("tier", "app=web", false)]
    [InlineData("!tier", "app=web", true)]
    [InlineData("!tier", "tier=x", false)]
    [InlineData("app=web,env in (prod)", "app=web,env=prod", true)]
    [InlineData("app=web,env in (prod)", "app=web,env=qa", false)]
    [InlineData("replicas>3", "replicas=4", true)]
    [InlineData("replicas>3", "replicas=3", false)]
    [InlineData("replicas>3", "replicas=x", false)]
    [InlineData("replicas<3", "replicas=2", true)]
    public void Matches_Table(string selector, string labels, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(L(labels)));

    [Theory]
    [InlineData("app=web,", "expected: identifier after ','")]
    [InlineData(",app", "expected: !, identifier, or 'end of string'")]
    [InlineData("app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("env in prod", "unable to parse requirement: found 'prod', expected: '('")]
    [InlineData("env in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'")]
    [InlineData("env in (a", "unable to parse requirement: found '', expected: ',', ')' or identifier")]
    [InlineData("!app=web", "found '=', expected: ',' or 'end of string'")]
    [InlineData("a=b=c", "found '=', expected: ',' or 'end of string'")]
    [InlineData("Bad_Key_!=x", "unable to parse requirement: key: Invalid value: \"Bad_Key_\"")]
    [InlineData("-bad=x", "unable to parse requirement: key: Invalid value: \"-bad\"")]
    [InlineData("app=-bad-", "unable to parse requirement: values[0][app]: Invalid value: \"-bad-\"")]
    [InlineData("replicas>x", "for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("a/b/c=x", "unable to parse requirement: key: Invalid value: \"a/b/c\"")]
    public void Parse_Invalid_BadRequest(string input, string messagePart)
    {
        var ex = Assert.Throws<ApiException>(() => LabelSelector.Parse(input));
        Assert.Equal(400, ex.Code);
        Assert.Equal("BadRequest", ex.Reason);
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void Parse_KeyLongerThan63_Rejected()
    {
        var ex = Assert.Throws<ApiException>(() => LabelSelector.Parse(new string('a', 64) + "=x"));
        Assert.Contains("no more than 63 characters", ex.Message);
    }

    [Fact]
    public void FromJson_Null_MatchesNothing()
    {
        var s = LabelSelector.FromJson(null);
        Assert.True(s.MatchesNothing);
        Assert.False(s.Matches(L("app=web")));
        Assert.Equal("", s.ToString());
    }

    [Fact]
    public void FromJson_Empty_MatchesEverything()
    {
        var s = LabelSelector.FromJson(new JsonObject());
        Assert.True(s.IsEverything);
        Assert.True(s.Matches(L("")));
        Assert.Equal("", s.ToString());
    }

    [Fact]
    public void FromJson_LabelsAndExpressions_CanonicalAndMatches()
    {
        var json = JsonNode.Parse("""
            {"matchLabels":{"app":"web","tier":"front"},
             "matchExpressions":[
               {"key":"env","operator":"In","values":["prod","devel"]},
               {"key":"gpu","operator":"DoesNotExist"},
               {"key":"zone","operator":"Exists"},
               {"key":"track","operator":"NotIn","values":["canary"]}]}
            """);
        var s = LabelSelector.FromJson(json);
        Assert.Equal("app=web,env in (devel,prod),!gpu,tier=front,track notin (canary),zone", s.ToString());
        Assert.True(s.Matches(L("app=web,tier=front,env=prod,zone=a")));
        Assert.False(s.Matches(L("app=web,tier=front,env=prod,zone=a,gpu=1")));
        Assert.False(s.Matches(L("app=web,tier=front,env=prod,zone=a,track=canary")));
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Foo"}]}""", "\"Foo\" is not a valid label selector operator")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}""", "values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""", "values set must be empty")]
    [InlineData("""{"matchLabels":{"a":"bad value"}}""", "Invalid value: \"bad value\"")]
    [InlineData("""{"matchExpressions":[1]}""", "\"\" is not a valid label selector operator")]
    public void FromJson_Invalid_BadRequest(string json, string messagePart)
    {
        var ex = Assert.Throws<ApiException>(() => LabelSelector.FromJson(JsonNode.Parse(json)));
        Assert.Equal(400, ex.Code);
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void FromMap_SortedEquality_EmptyIsEverything()
    {
        var s = LabelSelector.FromMap(new Dictionary<string, string> { ["tier"] = "db", ["app"] = "web" });
        Assert.Equal("app=web,tier=db", s.ToString());
        Assert.True(s.Matches(L("app=web,tier=db,x=y")));
        Assert.False(s.Matches(L("app=web")));
        Assert.True(LabelSelector.FromMap((IReadOnlyDictionary<string, string>?)null).IsEverything);
        Assert.Equal("app=web", LabelSelector.FromMap(JsonNode.Parse("""{"app":"web"}""")).ToString());
    }

    [Fact]
    public void Parse_RoundTrip_SameSelector()
    {
        var first = LabelSelector.Parse("env notin (b,a),x,!y,k==v");
        var second = LabelSelector.Parse(first.ToString());
        Assert.Equal(first.ToString(), second.ToString());
    }
}
