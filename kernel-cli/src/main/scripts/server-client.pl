#!/usr/bin/perl
# The client side of `aleph`'s server (docs/performance.md, "The server"), in Perl because
# Debian's perl-base (an Essential package) starts in 10-20 ms where a JVM client takes
# 0.1-0.15 s. It does what org.aleph.cli.ServerClient does, byte for byte the same protocol and
# the same socket name: hand the command line to the server of this folder, build and JVM command
# line, relay its output and exit status. Exits 75 when no server can take the run; the launcher
# then runs the command in a JVM of its own. When there is no server:
#  - MODE 1 (ALEPH_SERVER=1) starts one, waits for it to listen and hands it this run;
#  - MODE auto (the default) exits 75 at once and leaves behind a process that starts the server
#    once this run's JVM (the launcher's process, which execs java) has ended, with this run's
#    command line for the server's warm-up: the run itself pays nothing, the next one is served.
#
#   server-client.pl MODE HOME START_TICKS N SERVER_WORD... ALEPH_ARG...
use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_STREAM pack_sockaddr_un);
use Cwd ();
use POSIX ();

my $NOT_SERVED = 75;
my ($mode, $home, $ticks, $words, @rest) = @ARGV;
my @server = splice(@rest, 0, $words);
my @args = @rest;

# Any failure of this script before the request is sent leaves the run to the launcher (75);
# after it, the run may have started, so it is reported, never repeated.
my $sent = 0;
my ($cwd, $socket, $log);
# A closed standard output or error (`aleph kernel ... | head -1`) drops that stream's further
# bytes and lets the run go on, as a JVM's System.out does; only the socket's failures end the client.
my %closed;
$SIG{PIPE} = 'IGNORE';
eval { main(); 1 } or do {
    exit $NOT_SERVED unless $sent;
    print STDERR "aleph: lost the server running this command: $@";
    exit 1;
};

sub main {
    $cwd = Cwd::getcwd();
    my $base = $ENV{XDG_RUNTIME_DIR} // $ENV{TMPDIR} // '/tmp';
    my $user = getpwuid($<) // exit $NOT_SERVED;
    my $folder = "$base/aleph-server-$user";
    mkdir($folder, 0700) unless -d $folder;
    my @st = lstat($folder);
    exit $NOT_SERVED unless @st && -d _ && $st[4] == $< && ($st[2] & 07777) == 0700;

    my $key = key();
    $socket = "$folder/$key.sock";
    $log = "$folder/$key.log";
    my $s = open_socket();
    unless ($s) {
        unlink $socket;   # a server that died left its file
        if ($mode ne '1') {
            start_server_after_run(getppid());
            exit $NOT_SERVED;
        }
        start_server();
        for (my $waited = 0; !$s && $waited < 30; $waited += 0.005) {
            select(undef, undef, undef, 0.005);
            $s = open_socket();
        }
        exit $NOT_SERVED unless $s;
    }

    my $request = pack('N', 0x414C0101) . str($cwd) . pack('N', scalar(keys %ENV));
    $request .= str($_) . str($ENV{$_}) for keys %ENV;
    $request .= pack('C', (-t STDIN && -t STDOUT) ? 1 : 0) . pack('d>', $ticks / 100) . pack('N', scalar @args);
    $request .= str($_) for @args;
    write_all($s, $request);
    $sent = 1;

    binmode STDOUT;
    binmode STDERR;
    my $any = 0;
    while (1) {
        my $head = read_n($s, 5);
        unless (defined $head) {
            exit $NOT_SERVED unless $any;   # closed before answering: nothing ran
            print STDERR "aleph: the server running this command ended before it finished (its log: $log)\n";
            exit 1;
        }
        $any = 1;
        my ($type, $len) = unpack('CN', $head);
        my $bytes = $len ? read_n($s, $len) : '';
        exit 1 unless defined $bytes;
        if ($type == 1) {
            write_out(\*STDOUT, $bytes);
        } elsif ($type == 2) {
            write_out(\*STDERR, $bytes);
        } elsif ($type == 3) {
            exit unpack('l>', $bytes);
        } elsif ($type == 4) {
            exit $NOT_SERVED;
        } else {
            exit 1;
        }
    }
}

sub str { my ($b) = @_; return pack('N', length $b) . $b; }

sub open_socket {
    return undef unless -S $socket;
    socket(my $fh, AF_UNIX, SOCK_STREAM, 0) or return undef;
    connect($fh, pack_sockaddr_un($socket)) or return undef;
    return $fh;
}

# In a session of its own (a Ctrl-C meant for this run never reaches it), output to its log.
sub start_server {
    my $pid = fork();
    return unless defined $pid;
    return if $pid;
    detach();
    exec(@server, $socket, idle_seconds()) or POSIX::_exit(1);
}

# The default mode: a detached process waits for the launcher's process (the run's JVM after its
# exec) to end, then starts the server with this run's arguments for its warm-up, unless another
# run's server took the socket meanwhile (a file left by a dead server was removed above). On a terminal, one line says so.
sub start_server_after_run {
    my ($run) = @_;
    if (-t STDERR) {
        my $minutes = int((idle_seconds() + 59) / 60);
        print STDERR "aleph: after this run a server stays up for the next runs in this folder; it stops after "
            . "$minutes idle minute" . ($minutes == 1 ? '' : 's') . " (ALEPH_SERVER=0 turns it off)\n";
    }
    my $pid = fork();
    return unless defined $pid;
    return if $pid;
    detach();
    select(undef, undef, undef, 0.05) while kill(0, $run);
    POSIX::_exit(0) if -S $socket;
    exec(@server, $socket, idle_seconds(), @args) or POSIX::_exit(1);
}

# Standard streams to /dev/null and the log, every other inherited descriptor closed (a caller's
# pipe on fd 3 or above, held open by a server for minutes, would keep its reader waiting for EOF),
# in a session of its own.
sub detach {
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>>', $log) or POSIX::_exit(1);   # appended: a second server that loses the race must not cut the first one's log
    open(STDERR, '>&', \*STDOUT);
    if (opendir(my $fds, '/proc/self/fd')) {
        my @open = grep { /^\d+$/ && $_ > 2 } readdir $fds;
        closedir $fds;
        POSIX::close($_) for @open;
    }
    POSIX::setsid();
}

sub idle_seconds { return $ENV{ALEPH_SERVER_IDLE} // '600'; }

sub write_out {
    my ($fh, $bytes) = @_;
    return if $closed{fileno $fh};
    my $off = 0;
    while ($off < length $bytes) {
        my $n = syswrite($fh, $bytes, length($bytes) - $off, $off);
        unless (defined $n) {
            $closed{fileno $fh} = 1;
            return;
        }
        $off += $n;
    }
}

sub write_all {
    my ($fh, $bytes) = @_;
    my $off = 0;
    while ($off < length $bytes) {
        my $n = syswrite($fh, $bytes, length($bytes) - $off, $off);
        die "cannot write to the server: $!\n" unless defined $n;
        $off += $n;
    }
}

sub read_n {
    my ($fh, $n) = @_;
    my $buf = '';
    while (length $buf < $n) {
        my $got = sysread($fh, $buf, $n - length $buf, length $buf);
        return undef unless $got;
    }
    return $buf;
}

# The socket's name (ServerClient.key in Java: the same text, the same hash).
sub key {
    my $text = $cwd . "\0" . join("\0", @server) . "\0";
    for my $dir ("$home/kernel-cli/target/lib", "$home/kernel-cli/target/startup") {
        opendir(my $dh, $dir) or next;
        for my $name (sort grep { /\.jar$/ || $_ eq 'aleph.jsa' || $_ eq 'boot-modules.txt' } readdir $dh) {
            my @f = stat("$dir/$name");
            $text .= "$name $f[7] $f[9]\0";
        }
        closedir $dh;
    }
    for my $k (sort keys %ENV) {
        $text .= "$k=$ENV{$k}\0" if $k =~ /^(OPENBLAS_|OMP_|MALLOC_|LD_|JAVA_|JDK_|LC_)/
            || $k =~ /^(LANG|TZ|HOME|TMPDIR|GLIBC_TUNABLES|PATH|ALEPH_PLUGIN_PATH|ALEPH_SERVER_IDLE)$/;
    }
    my $hex = '';
    for my $offset (0x811c9dc5, 0x050c5d1f, 0x2b6b8f3d) {
        my $h = $offset;
        for my $c (unpack('C*', $text)) {
            $h = (($h ^ $c) * 16777619) & 0xFFFFFFFF;
        }
        $hex .= sprintf('%08x', $h);
    }
    return $hex;
}
