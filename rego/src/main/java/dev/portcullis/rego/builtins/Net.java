package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code net.cidr_*} built-ins and {@code net.lookup_ip_addr}. */
final class Net {
  private Net() {}

  /** The start of IPv4-mapped space (::ffff:0.0.0.0): merging places IPv4 blocks there, as OPA does. */
  private static final BigInteger V4_MAPPED = BigInteger.valueOf(0xffffL).shiftLeft(32);

  static void register(BuiltinTable t) {
    t.register("net.cidr_contains", 2, (ctx, a) -> BooleanValue.of(contains(Args.string(a, 0), Args.string(a, 1))));
    t.register("net.cidr_intersects", 2, (ctx, a) -> {
      GoNet.Cidr x = GoNet.parseCidr(Args.string(a, 0));
      GoNet.Cidr y = GoNet.parseCidr(Args.string(a, 1));
      return BooleanValue.of(x.contains(y.network()) || y.contains(x.network()));
    });
    t.register("net.cidr_contains_matches", 2, (ctx, a) -> containsMatches(a[0], a[1]));
    t.register("net.cidr_expand", 1, (ctx, a) -> expand(ctx, Args.string(a, 0)));
    t.register("net.cidr_is_valid", 1, (ctx, a) -> {
      if (!(a[0] instanceof StringValue s)) return BooleanValue.FALSE;
      try {
        GoNet.parseCidr(s.value());
        return BooleanValue.TRUE;
      } catch (BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
    t.register("net.cidr_merge", 1, (ctx, a) -> merge(a[0]));
    t.register("net.lookup_ip_addr", 1, (ctx, a) -> lookup(ctx, Args.string(a, 0)));
  }

  private static boolean contains(String network, String other) throws BuiltinException {
    GoNet.Cidr a = GoNet.parseCidr(network);
    byte[] ip = GoNet.parseIp(other);
    if (ip != null) return a.contains(ip);
    GoNet.Cidr b;
    try {
      b = GoNet.parseCidr(other);
    } catch (BuiltinException e) {
      throw BuiltinException.error("not a valid textual representation of an IP address or CIDR: " + other);
    }
    return a.contains(b.network()) && a.contains(GoNet.toBytes(b.last(), b.network().length));
  }

  private interface MatchSink {
    void accept(Value cidr, Value index) throws BuiltinException;
  }

  /** Each candidate of a {@code cidr_contains_matches} operand with the index or key it is reported under. */
  private static void eachCandidate(int operand, Value v, MatchSink sink) throws BuiltinException {
    if (v instanceof StringValue) {
      sink.accept(v, v);
    } else if (v instanceof ArrayValue arr) {
      for (int i = 0; i < arr.size(); i++) sink.accept(candidate(operand, arr.get(i)), NumberValue.of(i));
    } else if (v instanceof SetValue s) {
      for (Value x : s.sorted()) sink.accept(candidate(operand, x), x);
    } else if (v instanceof ObjectValue o) {
      for (Value k : o.keys()) sink.accept(candidate(operand, o.get(k)), k);
    }
    // Any other operand type has no candidates (OPA matches nothing rather than failing).

  }

  private static Value candidate(int operand, Value v) throws BuiltinException {
    if (v instanceof StringValue) return v;
    if (v instanceof ArrayValue arr && arr.size() > 0) return arr.get(0);
    throw BuiltinException.error("operand " + operand + ": element must be string or non-empty array");
  }

  private static SetValue containsMatches(Value cidrs, Value addrs) throws BuiltinException {
    Set<Value> out = new LinkedHashSet<>();
    eachCandidate(1, cidrs, (cidr, i) -> eachCandidate(2, addrs, (addr, j) -> {
      if (!(cidr instanceof StringValue c)) throw Args.mismatch(0, "string", cidr);
      if (!(addr instanceof StringValue d)) throw Args.mismatch(0, "string", addr);
      if (contains(c.value(), d.value())) out.add(ArrayValue.of(i, j));
    }));
    return SetValue.wrap(out);
  }

  private static SetValue expand(BuiltinContext ctx, String s) throws BuiltinException {
    GoNet.Cidr c = GoNet.parseCidr(s);
    BigInteger count = BigInteger.ONE.shiftLeft(c.bits() - c.prefix());
    // Charge first: a /8 would otherwise build sixteen million strings before any budget could object.
    if (count.bitLength() > 31) {
      throw new BuiltinException(BuiltinException.Kind.BUDGET, "too many addresses to expand: " + count);
    }
    ctx.charge(count.longValue());
    Set<Value> out = new LinkedHashSet<>();
    BigInteger first = c.first();
    for (long i = 0; i < count.longValueExact(); i++) {
      out.add(StringValue.of(GoNet.format(GoNet.toBytes(first.add(BigInteger.valueOf(i)), c.network().length))));
    }
    return SetValue.wrap(out);
  }

  /** A block to merge, as a range of 128-bit addresses; {@code original} is kept when nothing merges with it. */
  private record Block(BigInteger first, BigInteger last, String original) {}

  private static SetValue merge(Value operand) throws BuiltinException {
    List<Value> elems;
    if (operand instanceof ArrayValue arr) {
      elems = arr.elements();
    } else if (operand instanceof SetValue s) {
      elems = s.sorted();
    } else {
      throw BuiltinException.error("operand must be an array");
    }
    List<Block> blocks = new ArrayList<>();
    for (Value e : elems) {
      if (!(e instanceof StringValue s)) throw BuiltinException.error("element must be string");
      blocks.add(block(s.value()));
    }
    blocks.sort(Comparator.comparing(Block::last).thenComparing(Block::first));
    for (int i = blocks.size() - 1; i > 0; i--) {
      Block cur = blocks.get(i), prev = blocks.get(i - 1);
      BigInteger before = cur.first().signum() == 0 || cur.first().equals(V4_MAPPED) ? cur.first()
          : cur.first().subtract(BigInteger.ONE);
      if (before.compareTo(prev.last()) <= 0) {
        blocks.set(i - 1, new Block(prev.first().min(cur.first()), cur.last(), null));
        blocks.remove(i);
      }
    }
    Set<Value> out = new HashSet<>();
    for (Block b : blocks) {
      if (b.original() != null) {
        out.add(StringValue.of(b.original()));
      } else {
        for (String c : rangeToCidrs(b.first(), b.last())) out.add(StringValue.of(c));
      }
    }
    return SetValue.wrap(out);
  }

  private static Block block(String s) throws BuiltinException {
    byte[] ip = GoNet.parseIp(s);
    GoNet.Cidr c;
    if (ip == null) {
      c = GoNet.parseCidr(s);
    } else if (ip.length == 4) {
      // A bare IPv4 address takes its classful default mask, as Go's IP.DefaultMask gives it.
      int first = ip[0] & 0xff;
      int prefix = first < 0x80 ? 8 : first < 0xc0 ? 16 : 24;
      c = new GoNet.Cidr(ip, GoNet.mask(ip, prefix), prefix);
    } else {
      throw BuiltinException.error("IPv6 invalid: needs prefix length");
    }
    BigInteger offset = c.network().length == 4 ? V4_MAPPED : BigInteger.ZERO;
    return new Block(c.first().add(offset), c.last().add(offset), c.toString());
  }

  /** The fewest CIDR blocks covering exactly [first, last]. */
  private static List<String> rangeToCidrs(BigInteger first, BigInteger last) {
    boolean v4 = first.shiftRight(32).equals(BigInteger.valueOf(0xffff)) && last.shiftRight(32).equals(
        BigInteger.valueOf(0xffff));
    int bits = v4 ? 32 : 128;
    BigInteger base = v4 ? V4_MAPPED : BigInteger.ZERO;
    BigInteger lo = first.subtract(base), hi = last.subtract(base);
    List<String> out = new ArrayList<>();
    while (lo.compareTo(hi) <= 0) {
      int size = lo.signum() == 0 ? bits : lo.getLowestSetBit();
      while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) size--;
      out.add(GoNet.format(GoNet.toBytes(lo, bits / 8)) + "/" + (bits - size));
      lo = lo.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }

  /** Name lookups run here so that a slow resolver cannot hold an evaluation past its deadline. */
  private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "rego-net-lookup");
    t.setDaemon(true);
    return t;
  });
  private static final long LOOKUP_LIMIT_MILLIS = 10_000;

  private static SetValue lookup(BuiltinContext ctx, String name) throws BuiltinException {
    byte[] literal = GoNet.parseIp(name);
    if (literal != null) return SetValue.of(StringValue.of(GoNet.format(literal)));
    Future<InetAddress[]> pending = RESOLVER.submit(() -> InetAddress.getAllByName(name));
    long waited = 0;
    try {
      while (true) {
        try {
          InetAddress[] addresses = pending.get(50, TimeUnit.MILLISECONDS);
          Set<Value> out = new LinkedHashSet<>();
          for (InetAddress a : addresses) out.add(StringValue.of(GoNet.format(a.getAddress())));
          return SetValue.wrap(out);
        } catch (TimeoutException e) {
          waited += 50;
          ctx.charge(0);
          if (waited >= LOOKUP_LIMIT_MILLIS) throw BuiltinException.error("lookup " + name + ": i/o timeout");
        }
      }
    } catch (ExecutionException e) {
      throw BuiltinException.error("lookup " + name + ": no such host");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BuiltinException.error("lookup " + name + ": interrupted");
    } finally {
      pending.cancel(true);
    }
  }
}
