Feature: Identities are pinned to addresses
  A peer seen once is remembered with its identity. Dialling its address and
  meeting another key is refused as an identity mismatch, and the pin stays,
  once the peer was really reached there: dialled there, or connected long
  enough to be established (max(period, 3 heartbeats), here 5 s).

  Scenario: a different key at a known node's address is refused
    Given the wire delays every segment by 5 ms
    And node Alice pings every 5 s
    And node Bob pings every 5 s and joins through Alice
    And the network forms one full mesh within 1 s
    And 6 s of simulated time pass
    When Bob is killed
    And node Mallory starts with a key of her own at Bob's address
    Then within 15 s Alice refuses Mallory at Bob's address as an identity mismatch
    And Alice still pins Bob's identity to its address
    And Alice is not connected to Mallory
    When Mallory stops gracefully
    And Bob restarts with the same key at the same address
    Then the network forms one full mesh within 15 s
