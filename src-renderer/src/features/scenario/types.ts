/**
 * Scenario types as the renderer receives them, derived from the contract's
 * `library.get` result (the renderer may import types from src-main/api only).
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';

export type Scenario = ResultOf<'library.get'>;
export type TimelineNode = Scenario['timeline'][number];
export type NodeType = TimelineNode['type'];
export type NodeOf<T extends NodeType> = Extract<TimelineNode, { type: T }>;
export type Condition = NodeOf<'branch'>['cases'][number]['when'];
export type Consequences = NodeOf<'decision'>['options'][number]['consequences'];
