export async function benchPlanner() { return []; }
