using LogTools.Engine.Sessions;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Sessions;

public sealed class GitCommitTests : IDisposable
{
    private const string Main = "0123456789abcdef0123456789abcdef01234567";
    private const string Feature = "89abcdef0123456789abcdef0123456789abcdef";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_branch_in_packed_refs_is_found_from_a_subfolder()
    {
        var repo = Repo();
        File.WriteAllText(Path.Combine(repo, ".git", "packed-refs"), $"# pack-refs with: peeled fully-peeled sorted\n{Main} refs/heads/main\n^{Feature}\n");

        Assert.Equal(Main, GitCommit.Find(Directory.CreateDirectory(Path.Combine(repo, "src", "deep")).FullName));
    }

    [Fact]
    public void A_loose_ref_wins_over_packed_refs_and_a_detached_head_is_read_as_is()
    {
        var repo = Repo();
        File.WriteAllText(Path.Combine(repo, ".git", "packed-refs"), $"{Feature} refs/heads/main\n");
        File.WriteAllText(Path.Combine(repo, ".git", "refs", "heads", "main"), Main + "\n");
        Assert.Equal(Main, GitCommit.Find(repo));

        File.WriteAllText(Path.Combine(repo, ".git", "HEAD"), Feature.ToUpperInvariant() + "\n");
        Assert.Equal(Feature, GitCommit.Find(repo));
    }

    [Fact]
    public void A_worktree_reads_its_own_HEAD_and_the_shared_branches()
    {
        var repo = Repo();
        File.WriteAllText(Path.Combine(repo, ".git", "packed-refs"), $"{Feature} refs/heads/feature\n");
        var admin = Directory.CreateDirectory(Path.Combine(repo, ".git", "worktrees", "wt")).FullName;
        File.WriteAllText(Path.Combine(admin, "HEAD"), "ref: refs/heads/feature\n");
        File.WriteAllText(Path.Combine(admin, "commondir"), "../..\n");
        var worktree = Directory.CreateDirectory(_temp.Combine("wt")).FullName;
        File.WriteAllText(Path.Combine(worktree, ".git"), "gitdir: ../repo/.git/worktrees/wt\n");

        Assert.Equal(Feature, GitCommit.Find(worktree));
    }

    [Fact]
    public void Outside_a_repository_or_on_an_unborn_branch_there_is_no_commit()
    {
        Assert.Null(GitCommit.Find(Directory.CreateDirectory(_temp.Combine("plain")).FullName));
        Assert.Null(GitCommit.Find(Repo()));
    }

    private string Repo()
    {
        var repo = _temp.Combine("repo");
        Directory.CreateDirectory(Path.Combine(repo, ".git", "refs", "heads"));
        File.WriteAllText(Path.Combine(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
        return repo;
    }
}
