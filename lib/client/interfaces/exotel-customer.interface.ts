/**
 * The customer account (`GET /customer`, exotel-api.md §3.3). Exotel returns the secret too: treat the
 * whole object as confidential.
 * @publicApi
 */
export interface ExotelCustomer {
  CustomerID: string;
  CustomerSecret: string;
  CustomerName: string;
  Email: string;
  CustomerSetting: unknown;
  CreatedAt: string;
  UpdatedAt: string;
  DeletedAt: boolean;
}
