/**
 * The answer a screen keeps from a fetch: the one it shows already when the
 * fetch answered the same again (a resync at the push channel's opening that
 * found nothing missed), so raw state keeps its reference and nothing drawn
 * from it is drawn again; otherwise the new answer. Answers are JSON (they
 * came over the contract), so their JSON text says whether they are the same.
 */
export function unlessSame<T>(shown: T | null, answer: T): T {
  return shown !== null && JSON.stringify(shown) === JSON.stringify(answer) ? shown : answer;
}
