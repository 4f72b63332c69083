/** HIST-3: whose tickets a list holds. */
export enum TicketScope {
  MINE = 'MINE',
  ORGANIZATION = 'ORGANIZATION',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

/** A validated page request: direction, size and the cursor to start from. */
export interface PageRequest {
  forward: boolean;
  size: number;
  cursor: string | null;
}
