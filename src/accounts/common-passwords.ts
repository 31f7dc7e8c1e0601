/**
 * Passwords of at least 8 characters that lead the public lists of leaked and most-used passwords
 * (NIST SP 800-63B 5.1.1.2: a new password SHALL be compared against values known to be commonly
 * used, expected or compromised), lower-cased. Shorter ones are refused by the length rule anyway.
 * A host adds its own expected words (its name, its product) with `policy.accounts.passwordBlocklist`,
 * and may screen against a breach corpus (for example Have I Been Pwned's range API) before calling.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  ...['password', 'password1', 'password12', 'password123', 'password1234', 'password!', 'passw0rd', 'p@ssw0rd'],
  ...['p@ssword', 'pa$$word', 'passpass', 'passwort', 'jelszo123', 'wachtwoord', 'wachtwoord1', 'kodikos1'],
  ...['12345678', '123456789', '1234567890', '0123456789', '12341234', '12344321', '11223344', '123123123'],
  ...['123321123', '987654321', '0987654321', '87654321', '147258369', '123654789', '159753456', '789456123'],
  ...['11111111', '00000000', '88888888', '66666666', '99999999', '12121212', '1111111111', '1234567a'],
  ...['a1234567', 'aa123456', '123456aa', '1234567q', 'q1234567', 'abc12345', 'abcd1234', 'a1b2c3d4'],
  ...['qwertyui', 'qwertyuiop', 'qwerty12', 'qwerty123', 'qwerty1234', 'qwer1234', '1234qwer', 'q1w2e3r4'],
  ...['q1w2e3r4t5', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y', '1qaz2wsx', 'zaq12wsx', '1qazxsw2', '2wsx3edc'],
  ...['!qaz2wsx', 'qazwsxedc', 'qweasdzxc', '123qweasd', 'asdfghjk', 'asdfghjkl', 'asdf1234', 'zxcvbnm1'],
  ...['zxcvbnm123', 'iloveyou', 'iloveyou1', 'iloveyou!', 'sunshine', 'sunshine1', 'princess', 'princess1'],
  ...['football', 'football1', 'baseball', 'baseball1', 'welcome1', 'welcome123', 'welcome!', 'letmein1'],
  ...['letmein!', 'trustno1', 'superman', 'starwars', 'whatever', 'computer', 'internet', 'changeme'],
  ...['changeme1', 'admin123', 'admin1234', 'administrator1', 'master123', 'dragon123', 'monkey123'],
  ...['shadow123', 'hello123', 'hellohello', 'testtest', 'test1234', 'secret123', 'freedom1', 'mustang1'],
  ...['jordan23', 'charlie1', 'michael1', 'liverpool', 'chelsea1', 'arsenal1', 'michelle', 'jennifer'],
  ...['corvette', 'blink182', 'pokemon1', 'killer123', 'loveyou1', 'ashley123', 'baller123', 'helpdesk'],
  ...['helpdesk1', 'helpdesk123', 'support1', 'support123', 'letmeinplease', 'qwerty123456', 'abcdefg1'],
]);
