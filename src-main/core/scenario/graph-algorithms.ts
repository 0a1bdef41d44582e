/**
 * Graph algorithms over a timeline given as successor lists of node indices
 * (see ./graph.ts for a node's exits): reachability and strongly connected
 * components. Used by the timeline rules of scenario validation.
 */

/** Every node reachable from `from` along `edges`. */
export function search(from: readonly number[], edges: readonly number[][], count: number): boolean[] {
  const seen = new Array<boolean>(count).fill(false);
  const queue = [...from];
  for (const i of queue) seen[i] = true;
  while (queue.length > 0) {
    const i = queue.pop()!;
    for (const j of edges[i]!) {
      if (!seen[j]) {
        seen[j] = true;
        queue.push(j);
      }
    }
  }
  return seen;
}

/**
 * Strongly connected components of the subgraph of nodes where `include`
 * holds (Tarjan's algorithm, iterative so that long chains cannot overflow
 * the stack). Components come out sinks first; `component[i]` is node i's
 * component index, or -1 for excluded nodes.
 */
export function scc(successors: readonly number[][], include: (i: number) => boolean): { components: number[][]; component: Int32Array } {
  const count = successors.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < count; root++) {
    if (order[root] !== -1 || !include(root)) continue;
    // Each call frame: the node and how many of its successors were looked at.
    const frames: Array<[node: number, next: number]> = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [node] = frame;
      const targets = successors[node]!;
      if (frame[1] < targets.length) {
        const next = targets[frame[1]++]!;
        if (!include(next)) continue;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = 1;
          frames.push([next, 0]);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node]!, order[next]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] === order[node]) {
        const members: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component[member] = components.length;
          members.push(member);
        } while (member !== node);
        components.push(members);
      }
    }
  }
  return { components, component };
}
